package dev.rewind.internal.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** The queries the runtime relies on (class initialisation, static finals), which the serializer never calls. */
class UnsafeAccessTest {
    static final class NeverInitialised {
        static final long VALUE = System.nanoTime();
    }

    static final class Holder {
        static final Object REF = new Object();
        static final int NUMBER = Integer.parseInt("7");
    }

    @Test
    void tellsInitialisedClassesWithoutInitialisingThem() throws Exception {
        UnsafeAccess.require();
        Class<?> c = Class.forName(NeverInitialised.class.getName(), false, getClass().getClassLoader());
        assertFalse(UnsafeAccess.isInitialized(c));
        assertTrue(UnsafeAccess.isInitialized(UnsafeAccessTest.class));
    }

    @Test
    void writesStaticFinalFields() throws Exception {
        Class.forName(Holder.class.getName(), true, getClass().getClassLoader()); // its initialiser runs first
        Field ref = Holder.class.getDeclaredField("REF");
        Field number = Holder.class.getDeclaredField("NUMBER");
        Object replacement = new Object();
        UnsafeAccess.putReference(UnsafeAccess.staticFieldBase(ref), UnsafeAccess.staticFieldOffset(ref), replacement);
        UnsafeAccess.putInt(UnsafeAccess.staticFieldBase(number), UnsafeAccess.staticFieldOffset(number), 42);
        ref.setAccessible(true);
        number.setAccessible(true);
        assertEquals(replacement, ref.get(null));
        assertEquals(42, number.getInt(null));
    }
}
