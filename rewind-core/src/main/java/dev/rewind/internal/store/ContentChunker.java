package dev.rewind.internal.store;

import java.util.Objects;

/**
 * Cuts a byte stream into content-defined chunks (FastCDC: a gear rolling hash with normalized
 * chunking), so that an insertion or deletion early in a checkpoint only changes the chunks around
 * it and every later chunk keeps its bytes, hence its {@link ChunkId}, and is shared with the
 * previous checkpoint.
 *
 * <h2>The rule</h2>
 *
 * For each byte {@code b} of the current chunk the hash becomes {@code h = (h << 1) + GEAR[b]}
 * (64 bits, wrapping). Because every step shifts left by one, a byte has left the hash entirely
 * 64 bytes later: {@code h} depends only on the last 64 bytes. Let {@code L} be the chunk's length
 * including the byte just hashed. The chunk ends after that byte when
 *
 * <ul>
 *   <li>{@code min <= L < avg} and the top {@code log2(avg) + 2} bits of {@code h} are zero (a
 *       stricter test, so chunks rarely end early), or
 *   <li>{@code avg <= L < max} and the top {@code log2(avg) - 2} bits of {@code h} are zero (a
 *       looser one, so chunks rarely run long), or
 *   <li>{@code L == max}.
 * </ul>
 *
 * The top bits are tested because they depend on the widest window of bytes. No chunk is shorter
 * than {@code min} except the stream's last. The first {@code min - 64} bytes of a chunk are not
 * hashed at all (FastCDC's skip, most of the speed): the hash starts from zero at that point, so
 * by the time a cut is possible it has seen 64 bytes and equals the hash of a full window. Every
 * decision thus depends on the chunk's own bytes only, never on how the stream was split into
 * calls of {@link #cut}.
 *
 * <h2>Compatibility</h2>
 *
 * {@code GEAR} is filled from SplitMix64 with a fixed seed, so boundaries are the same on every
 * JVM and Rewind version. Changing the seed, the generator, the masks or the skip changes where
 * chunks end: new checkpoints would then share (almost) no chunks with older ones, so the store
 * would grow, but nothing would break, because a chunk is named by its content, not by how it was
 * cut. {@code ContentChunkerTest} pins the first boundaries of a fixed input so that such a change
 * is made on purpose.
 *
 * <h2>Use</h2>
 *
 * Not thread-safe: one chunker per stream. Feed the stream in buffers of any size:
 *
 * <pre>{@code
 * while (len > 0) {
 *     int n = chunker.cut(buf, off, len);
 *     if (n < 0) { appendToCurrentChunk(buf, off, len); break; }
 *     appendToCurrentChunk(buf, off, n); endChunk();
 *     off += n; len -= n;
 * }
 * // at the end of the stream: the current chunk, if not empty, is the last one
 * }</pre>
 */
public final class ContentChunker {
    /** The hash's window; see the class comment for why hashing may start this far before {@code min}. */
    private static final int WINDOW = 64;
    /** Seed of the GEAR table ("RewindCD" in ASCII). Part of the chunk-boundary format: do not change. */
    private static final long GEAR_SEED = 0x526577696E644344L;
    private static final long[] GEAR = gear();

    private final int min;
    private final int avg;
    private final int max;
    /** Chunk length at which hashing starts: earlier bytes cannot affect any cut. */
    private final int hashStart;
    private final long maskStrict;
    private final long maskLoose;

    /** Bytes in the current chunk so far. */
    private int length;
    /** Gear hash of the current chunk's bytes from {@link #hashStart} on. */
    private long hash;

    /**
     * @param min the smallest chunk (except a stream's last), at least 1
     * @param avg the target average, a power of two from 16 to 2^30, above {@code min}
     * @param max the largest chunk, above {@code avg}; a chunk is cut here whatever its content
     * @throws IllegalArgumentException if these do not hold
     */
    public ContentChunker(int min, int avg, int max) {
        if (min < 1 || avg < 16 || avg > 1 << 30 || Integer.bitCount(avg) != 1 || min >= avg || avg >= max) {
            throw new IllegalArgumentException("chunk sizes must satisfy 1 <= min < avg < max with avg a power of two"
                + " from 16 to 2^30; got min " + min + ", avg " + avg + ", max " + max);
        }
        this.min = min;
        this.avg = avg;
        this.max = max;
        this.hashStart = Math.max(0, min - WINDOW);
        int bits = Integer.numberOfTrailingZeros(avg);
        this.maskStrict = -1L << (64 - (bits + 2));
        this.maskLoose = -1L << (64 - (bits - 2));
    }

    /**
     * Looks for the end of the current chunk in {@code buf[off, off + len)}.
     *
     * @return {@code n} in {@code [1, len]} when the current chunk ends after {@code buf[off + n - 1]};
     *     a new, empty chunk is then current and the caller calls again with the rest. {@code -1}
     *     when it does not end in this range: all {@code len} bytes then belong to the current chunk
     *     (also when {@code len == 0}).
     * @throws IndexOutOfBoundsException if the range is not inside {@code buf}; nothing changes then
     */
    public int cut(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        final long[] gear = GEAR;
        final int end = off + len;
        // The chunk's length before buf[i] is base + i. Limits are computed in long because
        // (chunk position) - base can exceed an int when off is large.
        final long base = (long) length - off;
        long h = hash;
        int i = off;

        // Bytes before hashStart cannot influence any cut: just count them.
        int stop = (int) Math.min(end, hashStart - base);
        if (i < stop) {
            i = stop;
        }
        // Hashed, but the chunk would still be shorter than min: no test.
        stop = (int) Math.min(end, min - 1 - base);
        for (; i < stop; i++) {
            h = (h << 1) + gear[buf[i] & 0xff];
        }
        // min <= length < avg: the strict mask.
        final long strict = maskStrict;
        stop = (int) Math.min(end, avg - 1 - base);
        for (; i < stop; i++) {
            h = (h << 1) + gear[buf[i] & 0xff];
            if ((h & strict) == 0) {
                return endChunk(i + 1 - off);
            }
        }
        // avg <= length < max: the loose mask.
        final long loose = maskLoose;
        stop = (int) Math.min(end, max - 1 - base);
        for (; i < stop; i++) {
            h = (h << 1) + gear[buf[i] & 0xff];
            if ((h & loose) == 0) {
                return endChunk(i + 1 - off);
            }
        }
        if (i < end) {
            return endChunk(i + 1 - off); // buf[i] is the chunk's max-th byte
        }
        length = (int) (base + end);
        hash = h;
        return -1;
    }

    /**
     * Forgets the current chunk and starts a new, empty one, for a caller that ended a chunk by
     * itself (for example fixed-size pieces of a large primitive array). The next {@link #cut}
     * behaves as on a new chunker.
     */
    public void reset() {
        length = 0;
        hash = 0;
    }

    /** @return the number of bytes in the current chunk so far */
    public long current() {
        return length;
    }

    /** @return the smallest chunk size (except a stream's last chunk) */
    public int minSize() {
        return min;
    }

    /** @return the target average chunk size */
    public int averageSize() {
        return avg;
    }

    /** @return the largest chunk size */
    public int maxSize() {
        return max;
    }

    private int endChunk(int n) {
        length = 0;
        hash = 0;
        return n;
    }

    /**
     * 256 pseudo-random 64-bit values from SplitMix64 (Steele, Lea and Flood, 2014) with a fixed
     * seed: written out here rather than taken from java.util.SplittableRandom so that no JDK
     * change can move chunk boundaries.
     */
    private static long[] gear() {
        long[] g = new long[256];
        long state = GEAR_SEED;
        for (int i = 0; i < g.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            g[i] = z ^ (z >>> 31);
        }
        return g;
    }
}
