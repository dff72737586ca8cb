package dev.rewind.internal.store;

import dev.rewind.internal.serial.BulkSink;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link PieceKey}s of all pieces of one large array, computed by the calling thread and a
 * helper thread side by side: reading 2 GiB of unchanged arrays is most of what a checkpoint that
 * changed little costs. The caller never waits for the helper to start: both take the next piece
 * from a shared counter, and the caller then waits only for a piece the helper is in the middle of.
 */
final class PieceKeys {
    private final Object array;
    private final long offset;
    private final long bytes;
    private final int elemSize;
    private final PieceKey[] keys;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;

    private PieceKeys(Object array, long offset, long bytes, int elemSize) {
        this.array = array;
        this.offset = offset;
        this.bytes = bytes;
        this.elemSize = elemSize;
        this.keys = new PieceKey[(int) ((bytes + BulkSink.PIECE_DATA - 1) / BulkSink.PIECE_DATA)];
        this.done = new CountDownLatch(keys.length);
    }

    /**
     * Computes the keys of {@code bytes} bytes of {@code array} from {@code offset}, cut every
     * {@link BulkSink#PIECE_DATA} bytes.
     */
    static PieceKeys of(Object array, long offset, long bytes, int elemSize, Executor helper) {
        PieceKeys k = new PieceKeys(array, offset, bytes, elemSize);
        if (k.keys.length > 1) {
            try {
                helper.execute(k::work);
            } catch (java.util.concurrent.RejectedExecutionException alone) {
                // this thread does them all
            }
        }
        k.work();
        boolean interrupted = false;
        while (true) {
            try {
                k.done.await(); // at most the one piece the helper is on
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return k;
    }

    private void work() {
        for (int i; (i = next.getAndIncrement()) < keys.length; ) {
            keys[i] = compute(i);
            done.countDown();
        }
    }

    private PieceKey compute(int i) {
        long start = i * BulkSink.PIECE_DATA;
        return PieceKey.of(array, offset + start, Math.min(BulkSink.PIECE_DATA, bytes - start), elemSize);
    }

    /**
     * @return the key of the piece that starts at {@code pieceOffset} and holds {@code pieceBytes},
     *     or null when that is not one of this array's pieces
     */
    PieceKey at(Object a, long pieceOffset, long pieceBytes) {
        if (a != array || pieceOffset < offset || (pieceOffset - offset) % BulkSink.PIECE_DATA != 0) {
            return null;
        }
        long i = (pieceOffset - offset) / BulkSink.PIECE_DATA;
        if (i >= keys.length || Math.min(BulkSink.PIECE_DATA, bytes - i * BulkSink.PIECE_DATA) != pieceBytes) {
            return null;
        }
        return keys[(int) i];
    }
}
