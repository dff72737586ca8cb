package dev.rewind.internal.serial;

/**
 * Object-to-int map by identity, with open addressing: faster and smaller than
 * IdentityHashMap&lt;Object, Integer&gt; because values are not boxed. Used for object ids and class indexes.
 *
 * <p>The table is split into segments of at most 64K slots. One big key array would be a humongous
 * object that G1 places in the old generation, and every store of a key into it would then go
 * through the slow path of G1's write barrier (card marking and refinement), which made inserting
 * millions of objects several times slower. Small segments start out young, where stores are cheap.
 */
final class IdentityIds {
    private static final int SEGMENT_BITS = 16;
    private static final int SEGMENT_MASK = (1 << SEGMENT_BITS) - 1;

    private Object[][] keys;
    private int[][] values;
    private int size;
    /** Table length minus one; the table length is a power of two. */
    private int mask;

    IdentityIds(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1);
    }

    private void allocate(int capacity) {
        int segmentLength = Math.min(capacity, 1 << SEGMENT_BITS);
        int segments = capacity / segmentLength;
        keys = new Object[segments][segmentLength];
        values = new int[segments][segmentLength];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /**
     * Adds {@code key} with {@code value} unless present; one probe sequence does both the lookup and
     * the insertion, which matters because each probe into a large table is a cache miss.
     *
     * @return the existing value, or -1 if the key was added
     */
    int putIfAbsent(Object key, int value) {
        if (size * 2 >= mask) {
            grow();
        }
        int i = hash(key) & mask;
        while (true) {
            Object[] segment = keys[i >>> SEGMENT_BITS];
            Object found = segment[i & SEGMENT_MASK];
            if (found == key) {
                return values[i >>> SEGMENT_BITS][i & SEGMENT_MASK];
            }
            if (found == null) {
                segment[i & SEGMENT_MASK] = key;
                values[i >>> SEGMENT_BITS][i & SEGMENT_MASK] = value;
                size++;
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private void insert(Object key, int value) {
        int i = hash(key) & mask;
        while (keys[i >>> SEGMENT_BITS][i & SEGMENT_MASK] != null) {
            i = (i + 1) & mask;
        }
        keys[i >>> SEGMENT_BITS][i & SEGMENT_MASK] = key;
        values[i >>> SEGMENT_BITS][i & SEGMENT_MASK] = value;
    }

    private static int hash(Object o) {
        // spread the bits so that the low bits used as index depend on all of the identity hash
        int h = System.identityHashCode(o) * 0x9E3779B1;
        return h ^ (h >>> 16);
    }

    private void grow() {
        Object[][] oldKeys = keys;
        int[][] oldValues = values;
        allocate((mask + 1) * 2);
        for (int s = 0; s < oldKeys.length; s++) {
            Object[] segment = oldKeys[s];
            int[] segmentValues = oldValues[s];
            for (int j = 0; j < segment.length; j++) {
                if (segment[j] != null) {
                    insert(segment[j], segmentValues[j]);
                }
            }
            // let the old segments go as soon as they are copied
            oldKeys[s] = null;
            oldValues[s] = null;
        }
    }
}
