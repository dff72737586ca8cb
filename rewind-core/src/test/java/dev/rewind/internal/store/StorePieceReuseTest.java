package dev.rewind.internal.store;

import static dev.rewind.internal.store.StoreTesting.flipBit;
import static dev.rewind.internal.store.StoreTesting.info;
import static dev.rewind.internal.store.StoreTesting.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.internal.jvm.UnsafeAccess;
import dev.rewind.internal.serial.BulkSink;
import dev.rewind.internal.serial.ClassResolver;
import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.serial.GraphWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pieces of large arrays that this JVM stored before are found by their {@link PieceKey} and
 * referred to, not copied and hashed again; the checkpoint still reads back exactly, and a piece
 * whose chunk has gone or was found damaged is written again.
 */
class StorePieceReuseTest {
    private static final ClassResolver RESOLVER =
        name -> Class.forName(name, false, StorePieceReuseTest.class.getClassLoader());
    private static final long PIECE = BulkSink.PIECE_DATA;

    @TempDir
    Path tmp;

    /** A state of three large arrays of different element sizes, with lengths that end mid-piece. */
    private static Object[] state(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] doubles = new double[(int) (3 * PIECE / 8) + 1001];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = r.nextDouble();
        }
        byte[] bytes = new byte[(int) (2 * PIECE) + 3];
        r.nextBytes(bytes);
        int[] ints = new int[(int) (PIECE / 4) + 7];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = r.nextInt();
        }
        return new Object[] {doubles, bytes, ints, "between the arrays"};
    }

    private static CheckpointManifest checkpoint(Run run, Object[] roots) throws Exception {
        CheckpointWriter w = run.begin("state");
        new GraphWriter(w).write(roots, new String[] {"doubles", "bytes", "ints", "text"});
        return w.publish(new byte[0]).get().manifest();
    }

    private static void assertReadsBack(Run run, CheckpointManifest m, Object[] expected) throws Exception {
        run.verify(m);
        Object[] got;
        try (InputStream in = run.open(m)) {
            got = new GraphReader(in, RESOLVER).read();
        }
        assertArrayEquals((double[]) expected[0], (double[]) got[0]);
        assertArrayEquals((byte[]) expected[1], (byte[]) got[1]);
        assertArrayEquals((int[]) expected[2], (int[]) got[2]);
        assertEquals(expected[3], got[3]);
    }

    @Test
    void unchangedPiecesAreReferredToAndChangedOnesWritten() throws Exception {
        Store store = Store.openWithKey(tmp.resolve("store"), key(41), StoreOptions.defaults());
        Run run = store.createRun(info("Pieces"));
        Object[] state = state(1);
        CheckpointManifest first = checkpoint(run, state);
        assertTrue(first.addedBytes() > 6 * PIECE, "first checkpoint added " + first.addedBytes());
        assertReadsBack(run, first, state);

        CheckpointManifest same = checkpoint(run, state);
        assertEquals(0, same.addedBytes());
        assertEquals(first.chunks(), same.chunks());

        // one element in the middle piece of the doubles, the last byte of the bytes
        double[] doubles = (double[]) state[0];
        doubles[(int) (PIECE / 8) + 5] = -1.5;
        byte[] bytes = (byte[]) state[1];
        bytes[bytes.length - 1] ^= 1;
        CheckpointManifest changed = checkpoint(run, state);
        assertEquals(first.chunks().size(), changed.chunks().size());
        Set<ChunkRef> fresh = new HashSet<>(changed.chunks());
        fresh.removeAll(first.chunks());
        assertEquals(2, fresh.size(), "exactly the two changed pieces are new: " + fresh);
        assertTrue(changed.addedBytes() < 2 * PIECE + 64 * 1024, "added " + changed.addedBytes());
        assertReadsBack(run, changed, state);
    }

    @Test
    void aPieceWhoseChunkIsGoneOrDamagedIsWrittenAgain() throws Exception {
        Store store = Store.openWithKey(tmp.resolve("store"), key(42), StoreOptions.defaults());
        Run run = store.createRun(info("Gone"));
        Object[] state = state(2);
        CheckpointManifest first = checkpoint(run, state);

        // another process's collection, or a hand, removes a piece's chunk between checkpoints
        ChunkRef gone = first.chunks().get(2);
        Files.delete(store.chunks().path(gone.id()));
        CheckpointManifest second = checkpoint(run, state);
        assertEquals(gone.fileLength(), second.addedBytes());
        assertTrue(Files.isRegularFile(store.chunks().path(gone.id())));
        assertReadsBack(run, second, state);

        // a chunk cut short (a full disk, a hand) is checked by its length alone: written again
        ChunkRef cut = second.chunks().get(1);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(store.chunks().path(cut.id()),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(cut.fileLength() - 1);
        }
        CheckpointManifest again = checkpoint(run, state);
        assertEquals(cut.fileLength(), again.addedBytes());
        assertReadsBack(run, again, state);

        // a chunk found damaged by a read is not trusted again, though its file is the right size
        ChunkRef hurt = second.chunks().get(3);
        flipBit(store.chunks().path(hurt.id()), ChunkCodec.HEADER + 100, 2);
        assertThrows(CorruptCheckpointException.class, () -> run.verify(again));
        CheckpointManifest third = checkpoint(run, state);
        assertEquals(hurt.fileLength(), third.addedBytes());
        assertReadsBack(run, third, state);
    }

    @Test
    void keysTellEveryOneBitChangeApartAndDependOnLengthAndElementSize() {
        SplittableRandom r = new SplittableRandom(7);
        byte[] a = new byte[(int) PIECE + 13];
        r.nextBytes(a);
        long base = UnsafeAccess.arrayBaseOffset(byte[].class);
        PieceKey k = PieceKey.of(a, base, a.length, 1);
        assertEquals(k, PieceKey.of(a.clone(), base, a.length, 1), "same content, another array");
        assertNotEquals(k, PieceKey.of(a, base, a.length - 1, 1));
        assertNotEquals(k, PieceKey.of(a, base, a.length, 8));
        int[] positions = {0, 7, 8, 31, 32, 4096, a.length / 2, a.length - 14, a.length - 13, a.length - 1};
        for (int p : positions) {
            for (int bit = 0; bit < 8; bit += 3) {
                a[p] ^= (byte) (1 << bit);
                assertNotEquals(k, PieceKey.of(a, base, a.length, 1), "bit " + bit + " of byte " + p);
                a[p] ^= (byte) (1 << bit);
            }
        }
        for (int i = 0; i < 1000; i++) {
            int p = r.nextInt(a.length);
            a[p] ^= 1;
            assertNotEquals(k, PieceKey.of(a, base, a.length, 1), "byte " + p);
            a[p] ^= 1;
        }
        // moving data elsewhere is a change too: the key depends on order, at every distance (a key whose
        // position mixing repeats, such as a rotation by a fixed amount per block, misses swaps of blocks
        // 64 rotations apart: rows of 2 KiB swapped in a matrix)
        for (int length : new int[] {8, 32, 2048, 4096}) {
            for (int distance : new int[] {length, 2048, 4096, 64 << 10, 1 << 20, (int) PIECE / 2}) {
                for (int from : new int[] {0, 8, 2048, a.length / 3}) {
                    byte[] swapped = a.clone();
                    System.arraycopy(a, from, swapped, from + distance, length);
                    System.arraycopy(a, from + distance, swapped, from, length);
                    assertNotEquals(k, PieceKey.of(swapped, base, a.length, 1),
                        length + " bytes at " + from + " swapped with those " + distance + " further");
                }
            }
        }
        assertEquals(k, PieceKey.of(a, base, a.length, 1));
    }

    @Test
    void keysTellRowSwapsAndShiftsOfStructuredDataApart() {
        // a matrix of 2 KiB rows (256 doubles) whose rows are permuted, as pivoting does, and arithmetic
        // sequences shifted by one element: structured data, where weak position mixing shows
        double[] m = new double[(int) (PIECE / 8)];
        for (int i = 0; i < m.length; i++) {
            m[i] = i % 257 * 0.5 + i / 256;
        }
        long base = UnsafeAccess.arrayBaseOffset(double[].class);
        PieceKey k = PieceKey.of(m, base, PIECE, 8);
        java.util.Set<PieceKey> seen = new java.util.HashSet<>();
        seen.add(k);
        for (int row : new int[] {1, 2, 64, 65, 128, 1000}) {
            double[] s = m.clone();
            System.arraycopy(m, 0, s, row * 256, 256);
            System.arraycopy(m, row * 256, s, 0, 256);
            assertTrue(seen.add(PieceKey.of(s, base, PIECE, 8)), "rows 0 and " + row + " swapped");
        }
        long[] seq = new long[(int) (PIECE / 8) + 1];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = 1000L * i;
        }
        long lbase = UnsafeAccess.arrayBaseOffset(long[].class);
        assertNotEquals(PieceKey.of(seq, lbase, PIECE, 8), PieceKey.of(seq, lbase + 8, PIECE, 8), "shifted by one");
    }
}
