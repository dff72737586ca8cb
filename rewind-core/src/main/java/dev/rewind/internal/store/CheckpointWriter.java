package dev.rewind.internal.store;

import dev.rewind.CheckpointTooLargeException;
import dev.rewind.RewindException;
import dev.rewind.internal.jvm.UnsafeAccess;
import dev.rewind.internal.serial.BulkSink;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The stream a checkpoint's data is written to. It cuts the data into chunks (content-defined in
 * general, the writer's 4 MiB pieces inside a large primitive array, see {@link BulkSink}) and hands
 * each chunk to the store's background {@link WritePipeline}; the caller only waits while the
 * pipeline's memory bound is full. A piece this JVM has already stored unchanged is found by its
 * {@link PieceKey} and referred to without a copy. {@link #publish()} ends the data and returns at
 * once; the checkpoint becomes visible when all its chunks and its manifest are durable. Not
 * thread-safe.
 */
public final class CheckpointWriter extends OutputStream implements BulkSink {
    /** Content-defined chunk sizes: bounds and target. */
    static final int MIN_CHUNK = 512 << 10;
    static final int AVG_CHUNK = 2 << 20;
    static final int MAX_CHUNK = 8 << 20;
    /**
     * {@code -Drewind.pieceReuse=false} turns off the fingerprint that recognises unchanged array
     * pieces: every piece is then copied and named by SHA-256, as any other chunk.
     */
    private static final boolean PIECE_REUSE = !"false".equals(System.getProperty("rewind.pieceReuse"));
    /** Buffer size for a piece of a large primitive array: its data plus 64 frame headers. */
    static final int BULK_PIECE = (int) BulkSink.PIECE_DATA + (4 << 10);

    private final Run run;
    private final int sequence;
    private final String label;
    private final WritePipeline.Flight flight;
    private final ContentChunker chunker = new ContentChunker(MIN_CHUNK, AVG_CHUNK, MAX_CHUNK);
    private final long maxSize;
    /** The chunk being filled; null between chunks (taken when its first byte comes). */
    private byte[] buf;
    private int len;
    /** Size of the next chunk buffer: small until the stream has filled a chunk. */
    private int nextBuffer = 64 << 10;
    private boolean bulk;
    /** The key of the piece being written, entered into the store's piece cache once published. */
    private PieceKey piece;
    /** The keys of the array being written, when it was announced by {@link #beginArray}. */
    private PieceKeys keys;
    private long raw;
    private boolean done;

    CheckpointWriter(Run run, int sequence, String label) {
        this.run = run;
        this.sequence = sequence;
        this.label = label;
        this.maxSize = run.store().options().maxSize();
        this.flight = run.store().pipeline().begin(run, sequence, label);
    }

    /** @return the checkpoint's number in its run */
    public int sequence() {
        return sequence;
    }

    /** @return bytes written so far */
    public long size() {
        return raw;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) {
        count(n);
        while (n > 0) {
            int take;
            boolean cut;
            if (bulk) {
                // a writer that announces pieces ends each with endPiece() before this cut is reached;
                // bulk data written without them is cut every PIECE_DATA bytes
                if (len >= BulkSink.PIECE_DATA) {
                    piece = null;
                    emit();
                }
                take = (int) Math.min(n, BulkSink.PIECE_DATA - len);
                cut = len + take == BulkSink.PIECE_DATA;
            } else {
                int c = chunker.cut(b, off, n);
                cut = c > 0;
                take = cut ? c : n;
            }
            append(b, off, take);
            off += take;
            n -= take;
            if (cut) {
                if (bulk) {
                    piece = null; // a part of a piece is not the piece its key names
                }
                emit();
            }
        }
    }

    private void count(long n) {
        if (done) {
            throw new IllegalStateException("checkpoint " + sequence + " was already published or aborted");
        }
        raw += n;
        if (maxSize > 0 && raw > maxSize) {
            abort();
            throw new CheckpointTooLargeException("checkpoint '" + label + "' of run " + run.id() + " is larger than the "
                + "--max-size limit of " + StoreOptions.human(maxSize) + " and was not saved; earlier checkpoints are "
                + "intact. Raise the limit, or make large fields transient.");
        }
    }

    private void append(byte[] b, int off, int n) {
        reserve(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void emit() {
        if (len == 0) {
            return; // nothing to hand over; an empty buffer, if any, is kept for the next chunk
        }
        flight.submit(buf, len, piece);
        piece = null;
        buf = null;
        len = 0;
        // once a stream has filled one chunk, the next is likely as large: start at piece size
        // (pooled when a buffer is free) rather than grow a small buffer through copies
        nextBuffer = BULK_PIECE;
    }

    /** Makes room for {@code n} more bytes in the current chunk. */
    private void reserve(int n) {
        if (buf == null) {
            buf = flight.pipeline().buffer(bulk ? BULK_PIECE : nextBuffer);
        }
        if (len + n > buf.length) {
            buf = flight.pipeline().grow(buf, len, len + n);
        }
    }

    @Override
    public void beginBulk() {
        emit();
        chunker.reset();
        bulk = true;
        if (buf != null && buf.length < BULK_PIECE) {
            // the pieces are BULK_PIECE long: start at that size instead of growing by copies
            buf = null;
        }
    }

    @Override
    public void beginArray(Object array, long offset, long bytes, int elemSize) {
        beginBulk();
        if (!PIECE_REUSE) {
            return;
        }
        keys = PieceKeys.of(array, offset, bytes, elemSize, flight.pipeline().hasher());
    }

    @Override
    public void endBulk() {
        emit();
        bulk = false;
        keys = null;
    }

    @Override
    public long reusePiece(Object array, long offset, long dataBytes, int elemSize) {
        emit();
        if (!PIECE_REUSE) {
            return -1;
        }
        PieceKey key = keys == null ? null : keys.at(array, offset, dataBytes);
        if (key == null) {
            key = PieceKey.of(array, offset, dataBytes, elemSize);
        }
        ChunkRef known = flight.known(key);
        if (known == null) {
            piece = key;
            return -1;
        }
        count(known.rawLength());
        flight.reuse(key, known);
        return known.rawLength();
    }

    @Override
    public void writeArray(Object array, long offset, int n, int elemSize) {
        count(n);
        reserve(n);
        UnsafeAccess.copyLittleEndian(array, offset, buf, ByteBase.VALUE + len, n, elemSize);
        len += n;
    }

    /** Apart, so that a writer of plain bytes needs no access to JDK internals. */
    private static final class ByteBase {
        static final long VALUE = UnsafeAccess.arrayBaseOffset(byte[].class);
    }

    @Override
    public void endPiece() {
        emit();
    }

    /**
     * Ends the data and hands the checkpoint to the background writer.
     *
     * @param meta the caller's metadata, kept in the manifest (for the engine: the frames header)
     *
     * @return completes with the published manifest and what the store's bounds then removed, or exceptionally with a {@link RewindException}
     *     saying why it could not be written (earlier checkpoints are intact either way)
     */
    public CompletableFuture<Published> publish(byte[] meta) {
        if (done) {
            throw new IllegalStateException("checkpoint " + sequence + " was already published or aborted");
        }
        emit();
        done = true;
        return flight.publish(meta.clone());
    }

    /** Drops the checkpoint: nothing becomes visible; chunks already written go at the next collection. */
    public void abort() {
        if (!done) {
            done = true;
            flight.abort();
        }
    }

    /** Same as {@link #abort()} unless already published: a writer closed without publish is dropped. */
    @Override
    public void close() {
        abort();
    }
}
