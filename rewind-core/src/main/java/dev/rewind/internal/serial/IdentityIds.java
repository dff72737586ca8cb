package dev.rewind.internal.serial;

import dev.rewind.RewindException;
import java.util.Arrays;

/**
 * Gives objects, by identity, consecutive indexes in the order they are first seen (0, 1, 2, ...).
 * Used for object ids and class indexes.
 *
 * <p>Built for graphs of tens of millions of objects, where every probe into a large table is a
 * cache miss and where the GC's write barrier matters:
 * <ul>
 *   <li>The hash table is a {@code long[]} of (identity hash, index + 1) pairs, so one probe reads
 *       one slot, holds no references (no write barrier, nothing for the GC to scan) and the table
 *       grows by re-placing its entries without touching the objects again.
 *   <li>The objects themselves sit in an append-only list, in segments of 64K: appends are
 *       sequential, and small segments start out young, where stores are cheap. (One big key array
 *       would be a humongous object in G1's old generation, and random stores of references into
 *       it go through the slow path of the write barrier and concurrent refinement, which made a
 *       10-million-object graph several times slower.)
 *   <li>Distinct objects can share an identity hash (31 bits); a matching hash is confirmed by
 *       comparing the object stored at the entry's index.
 * </ul>
 */
class IdentityIds {
    private static final int SEGMENT_BITS = 16;
    private static final int SEGMENT_LENGTH = 1 << SEGMENT_BITS;
    private static final int SEGMENT_MASK = SEGMENT_LENGTH - 1;
    /** The largest table, 2^30 slots (8 GiB); it is kept at most three quarters full. */
    private static final int MAX_CAPACITY = 1 << 30;
    static final int MAX_SIZE = MAX_CAPACITY / 4 * 3;

    /** Entries {@code (long) identityHash << 32 | (index + 1)}; 0 is an empty slot. */
    private long[] table;
    /** Table length minus one; the table length is a power of two. */
    private int mask;
    private Object[][] objects = new Object[16][];
    private int size;

    IdentityIds(int expected) {
        table = new long[capacityFor(expected)];
        mask = table.length - 1;
    }

    /** The smallest power of two that keeps {@code count} entries at most half full. */
    private static int capacityFor(int count) {
        long wanted = Math.max(16L, count) * 2;
        return wanted > MAX_CAPACITY ? MAX_CAPACITY : Integer.highestOneBit((int) wanted - 1) << 1;
    }

    int size() {
        return size;
    }

    /** @return the object with index {@code index} (0 ≤ index &lt; size) */
    Object get(int index) {
        return objects[index >>> SEGMENT_BITS][index & SEGMENT_MASK];
    }

    /**
     * Gives {@code key} the next index unless it has one; one probe sequence does both the lookup and
     * the insertion.
     *
     * @return the existing index, or -1 if the key was added (its index is then {@code size() - 1})
     */
    int putIfAbsent(Object key) {
        int h = identityHash(key);
        int i = spread(h) & mask;
        long tag = (long) h << 32;
        while (true) {
            long e = table[i];
            if (e == 0) {
                break;
            }
            if ((e & 0xFFFF_FFFF_0000_0000L) == tag) {
                int index = (int) e - 1;
                if (get(index) == key) {
                    return index;
                }
            }
            i = (i + 1) & mask;
        }
        int index = size;
        if (index == MAX_SIZE) {
            throw new RewindException("the state holds more than " + MAX_SIZE
                    + " distinct objects, more than one checkpoint can hold; save large data in arrays,"
                    + " or leave part of it out (transient fields) and rebuild it after resuming");
        }
        table[i] = tag | (index + 1);
        append(key);
        if (size * 2L > mask) {
            grow();
        }
        return -1;
    }

    /** How many keys {@link #touch} is worth calling for at once. */
    static final int BATCH = 16;

    /**
     * Reads the table slots where the lookups of {@code keys[from, to)} will start, one after the
     * other. In a large table each of those reads is a cache miss; made back to back, with nothing
     * depending on one before the next is issued, the CPU overlaps them, and the lookups that follow
     * find the slots in cache. A hint only: it changes nothing.
     */
    void touch(Object[] keys, int from, int to) {
        long[] t = table;
        int m = mask;
        long sum = 0;
        for (int i = from; i < to; i++) {
            Object key = keys[i];
            if (key != null) {
                sum += t[spread(identityHash(key)) & m];
            }
        }
        touched = sum; // used, so that the compiler keeps the reads
    }

    /** Written by {@link #touch} and never read. */
    @SuppressWarnings("unused")
    private long touched;

    /** The hash identity lookups use; only tests give it another (to force collisions). */
    int identityHash(Object o) {
        return System.identityHashCode(o);
    }

    private static int spread(int h) {
        // identity hashes are random, but the low bits used as index must depend on all of them
        int x = h * 0x9E3779B1;
        return x ^ (x >>> 16);
    }

    private void append(Object key) {
        int s = size >>> SEGMENT_BITS;
        if (s == objects.length) {
            objects = Arrays.copyOf(objects, s * 2);
        }
        Object[] segment = objects[s];
        if (segment == null) {
            segment = new Object[SEGMENT_LENGTH];
            objects[s] = segment;
        }
        segment[size & SEGMENT_MASK] = key;
        size++;
    }

    private void grow() {
        if (table.length == MAX_CAPACITY) {
            return; // MAX_SIZE stops the graph before this table is more than three quarters full
        }
        long[] old = table;
        table = new long[old.length * 2];
        mask = table.length - 1;
        for (long e : old) {
            if (e != 0) {
                int i = spread((int) (e >>> 32)) & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = e;
            }
        }
    }
}
