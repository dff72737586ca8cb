package dev.rewind.internal.store;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The name of a chunk in the content-addressed store: the SHA-256 of the chunk's raw
 * (uncompressed) bytes. Two chunks with the same id are taken to hold the same bytes; that is what
 * lets checkpoints share chunks.
 *
 * <p>Immutable and thread-safe. The 32 bytes are kept as four longs (big-endian, so their order
 * is the byte order of the digest) to make {@link #equals} and {@link #hashCode} cheap for the
 * hash maps that index a store.
 */
public final class ChunkId {
    /** Length of an id in bytes. */
    public static final int BYTES = 32;

    /** One digest per thread: MessageDigest is not thread-safe and getInstance is not free. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc), so this is a broken JDK.
            throw new IllegalStateException("this JDK has no SHA-256, which every Java platform must provide", e);
        }
    });
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;

    private ChunkId(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /**
     * Computes the id of {@code raw[off, off + len)}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code raw}
     */
    public static ChunkId of(byte[] raw, int off, int len) {
        Objects.checkFromIndexSize(off, len, raw.length);
        MessageDigest md = SHA256.get();
        md.update(raw, off, len);
        return fromBytes(md.digest()); // digest() also resets it for the next call on this thread
    }

    /**
     * Parses the form {@link #hex()} produces.
     *
     * @param hex exactly 64 characters {@code [0-9a-f]}
     * @throws IllegalArgumentException for anything else (null, wrong length, upper case, other
     *     characters), naming the offending text
     */
    public static ChunkId fromHex(String hex) {
        if (hex == null || hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("not a chunk id (64 lowercase hex digits expected): "
                + (hex == null ? "null" : "\"" + hex + "\" has " + hex.length() + " characters"));
        }
        long[] w = new long[4];
        for (int i = 0; i < 2 * BYTES; i++) {
            char c = hex.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else {
                throw new IllegalArgumentException("not a chunk id (64 lowercase hex digits expected): \"" + hex
                    + "\" has '" + c + "' at index " + i);
            }
            w[i >>> 4] = (w[i >>> 4] << 4) | d;
        }
        return new ChunkId(w[0], w[1], w[2], w[3]);
    }

    /**
     * Reads the 32 raw bytes {@link #write} wrote.
     *
     * @throws java.io.EOFException if the input ends first
     */
    public static ChunkId read(DataInput in) throws IOException {
        // readLong is big-endian, which is the digest's byte order: the same 32 bytes as bytes().
        return new ChunkId(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    /** Writes the 32 raw bytes of the digest, in digest order (no length, no framing). */
    public void write(DataOutput out) throws IOException {
        out.writeLong(w0);
        out.writeLong(w1);
        out.writeLong(w2);
        out.writeLong(w3);
    }

    /** @return a fresh copy of the 32 digest bytes */
    public byte[] bytes() {
        byte[] b = new byte[BYTES];
        putLong(b, 0, w0);
        putLong(b, 8, w1);
        putLong(b, 16, w2);
        putLong(b, 24, w3);
        return b;
    }

    /** @return the 64 lowercase hex digits of the digest, as used in chunk file names */
    public String hex() {
        char[] c = new char[2 * BYTES];
        long[] w = {w0, w1, w2, w3};
        for (int i = 0; i < c.length; i++) {
            c[i] = HEX[(int) (w[i >>> 4] >>> (60 - 4 * (i & 15))) & 15];
        }
        return new String(c);
    }

    /** Two ids are equal when their 32 bytes are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId && ((ChunkId) o).w0 == w0 && ((ChunkId) o).w1 == w1
            && ((ChunkId) o).w2 == w2 && ((ChunkId) o).w3 == w3;
    }

    /** The first four bytes: SHA-256 output is uniform, so any 32 of its bits hash well. */
    @Override
    public int hashCode() {
        return (int) (w0 >>> 32);
    }

    /** @return {@link #hex()} */
    @Override
    public String toString() {
        return hex();
    }

    private static ChunkId fromBytes(byte[] d) {
        return new ChunkId(getLong(d, 0), getLong(d, 8), getLong(d, 16), getLong(d, 24));
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
