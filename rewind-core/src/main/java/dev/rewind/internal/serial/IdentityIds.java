package dev.rewind.internal.serial;

import java.util.Arrays;

/**
 * Object-to-int map by identity, with open addressing: faster and smaller than
 * IdentityHashMap&lt;Object, Integer&gt; because values are not boxed. Used for object ids and class indexes.
 */
final class IdentityIds {
    private Object[] keys;
    private int[] values;
    private int size;
    private int mask;

    IdentityIds(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new Object[cap];
        values = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** @return the value of {@code key}, or -1 if absent */
    int get(Object key) {
        int i = hash(key) & mask;
        Object[] k = keys;
        while (true) {
            Object found = k[i];
            if (found == key) {
                return values[i];
            }
            if (found == null) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds a key known to be absent. */
    void put(Object key, int value) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int i = hash(key) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }

    private static int hash(Object o) {
        // spread the bits so that the low bits used as index depend on all of the identity hash
        int h = System.identityHashCode(o) * 0x9E3779B1;
        return h ^ (h >>> 16);
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldValues = values;
        keys = new Object[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            Object k = oldKeys[j];
            if (k != null) {
                int i = hash(k) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }
}
