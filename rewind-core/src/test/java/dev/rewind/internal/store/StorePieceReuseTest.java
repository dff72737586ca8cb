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

        // a chunk found damaged by a read is not trusted again, though its file is the right size
        ChunkRef hurt = second.chunks().get(3);
        flipBit(store.chunks().path(hurt.id()), ChunkCodec.HEADER + 100, 2);
        assertThrows(CorruptCheckpointException.class, () -> run.verify(second));
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
        // moving a 32-byte block elsewhere is a change too: the key depends on order
        byte[] swapped = a.clone();
        System.arraycopy(a, 0, swapped, 32, 32);
        System.arraycopy(a, 32, swapped, 0, 32);
        assertNotEquals(k, PieceKey.of(swapped, base, a.length, 1));
        assertEquals(k, PieceKey.of(a, base, a.length, 1));
    }
}
