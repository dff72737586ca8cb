package dev.rewind.internal.serial;

import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Object ids by identity: consecutive, stable, and right when identity hashes collide. */
class IdentityIdsTest {

    /** Equal but distinct objects must get distinct ids: the map goes by identity, not equals. */
    private static final class Same {
        @Override
        public boolean equals(Object o) {
            return o instanceof Same;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    private static void checkAll(IdentityIds ids, Object[] objects) {
        for (int i = 0; i < objects.length; i++) {
            assertEquals(-1, ids.putIfAbsent(objects[i]), "first sight of object " + i);
            assertEquals(i + 1, ids.size());
        }
        // look every object up again, in another order, after all the growing
        for (int i = objects.length - 1; i >= 0; i--) {
            assertEquals(i, ids.putIfAbsent(objects[i]), "id of object " + i);
            assertSame(objects[i], ids.get(i));
        }
        assertEquals(objects.length, ids.size());
    }

    private static Object[] distinct(int n) {
        Object[] objects = new Object[n];
        for (int i = 0; i < n; i++) {
            objects[i] = new Same();
        }
        return objects;
    }

    @Test
    void idsAreConsecutiveAndSurviveGrowth() {
        // starts at 16 slots: grows many times on the way to 300k objects, past several 64K segments
        checkAll(new IdentityIds(1), distinct(300_000));
    }

    /** A table whose lookups use {@code hash} in place of the identity hash. */
    private static IdentityIds hashedBy(ToIntFunction<Object> hash) {
        return new IdentityIds(1) {
            @Override
            int identityHash(Object o) {
                return hash.applyAsInt(o);
            }
        };
    }

    @Test
    void collidingIdentityHashesStayApart() {
        // only 7 distinct hashes: every lookup has to confirm identity among colliding entries
        checkAll(hashedBy(o -> System.identityHashCode(o) % 7), distinct(3_000));
    }

    @Test
    void aHashOfZeroIsAnOrdinaryHash() {
        checkAll(hashedBy(o -> 0), distinct(200));
    }

    @Test
    void negativeHashesWork() {
        checkAll(hashedBy(o -> System.identityHashCode(o) | 0x8000_0000), distinct(50_000));
    }
}
