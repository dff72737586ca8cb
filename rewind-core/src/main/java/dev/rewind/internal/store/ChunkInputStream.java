package dev.rewind.internal.store;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A checkpoint's data read back chunk by chunk, each one checked against its name (and its length
 * against the manifest's) as it comes.
 *
 * <p>Like a file's, {@link #available()} is the exact number of bytes left: the serializer confirms a
 * large array's length against it before allocating, and without it had to read the whole array
 * ahead into a buffer of its own first (a 1 GiB array took 2 GiB of heap and an extra copy to resume).
 *
 * <p>The next {@link #AHEAD} chunks are read, decompressed and hashed on background threads while the
 * caller consumes the current one: decoding (zstd, SHA-256) is nearly all of a large resume's time, and
 * this spreads it over the cores. A chunk that fails is reported when the stream reaches it, as if it
 * had been read then.
 */
final class ChunkInputStream extends InputStream {
    /** Chunks decoded ahead of the reader: at most 4 × 8 MiB of raw data and file bytes held. */
    static final int AHEAD = 4;
    private static final ExecutorService DECODERS = Executors.newFixedThreadPool(
        Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())),
        r -> WritePipeline.daemon(r, "rewind-chunk-reader"));

    private final ChunkStore chunks;
    private final List<ChunkRef> refs;
    private final ArrayDeque<Future<byte[]>> ahead = new ArrayDeque<>();
    /** Index of the next chunk to hand to a decoder. */
    private int submitted;
    private byte[] current = new byte[0];
    private int pos;
    /** Raw bytes of the chunks not taken yet. */
    private long unread;

    ChunkInputStream(ChunkStore chunks, List<ChunkRef> refs) {
        this.chunks = chunks;
        this.refs = refs;
        for (ChunkRef r : refs) {
            unread += r.rawLength();
        }
    }

    private boolean fill() {
        while (pos == current.length) {
            if (ahead.isEmpty() && submitted == refs.size()) {
                return false;
            }
            if (refs.size() == 1) {
                current = chunks.read(refs.get(submitted++)); // checked to be rawLength() bytes long
            } else {
                while (ahead.size() < AHEAD && submitted < refs.size()) {
                    ChunkRef ref = refs.get(submitted++);
                    ahead.add(DECODERS.submit(() -> chunks.read(ref)));
                }
                current = take(ahead.poll());
            }
            unread -= current.length;
            pos = 0;
        }
        return true;
    }

    private static byte[] take(Future<byte[]> chunk) {
        try {
            return chunk.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause; // CorruptCheckpointException naming the chunk file, mostly
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while reading a checkpoint");
        }
    }

    @Override
    public int read() {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** @return the bytes left in the stream, as the manifest lists them (at most Integer.MAX_VALUE) */
    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, current.length - pos + unread);
    }

    /** Drops the chunks decoded ahead. */
    @Override
    public void close() {
        for (Future<byte[]> f : ahead) {
            f.cancel(false);
        }
        ahead.clear();
        submitted = refs.size();
        current = new byte[0];
        pos = 0;
        unread = 0;
    }
}
