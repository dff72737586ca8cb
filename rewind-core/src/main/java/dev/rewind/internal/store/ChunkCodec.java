package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one chunk: its bytes, compressed with zstd when that pays, framed so that
 * any damage is detected before the bytes are used.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "RWCK"
 *      4     1  format version, 1
 *      5     1  codec: 0 = stored raw, 1 = zstd (one or more standard zstd frames)
 *      6     4  raw length (u32), at most {@link #MAX_RAW}
 *     10     4  stored payload length (u32); equal to the raw length when stored raw
 *     14     n  payload
 *   14+n     4  CRC32C (u32) of bytes [0, 14 + n)
 * </pre>
 *
 * All integers are big-endian, like the rest of Rewind's file headers. The file carries no name:
 * its name is the SHA-256 of the raw bytes ({@link ChunkId}), which {@link #decode} checks too.
 *
 * <p>Thread-safe: static methods, per-thread zstd state.
 */
public final class ChunkCodec {
    /** The largest raw chunk this format holds, 64 MiB; also the most {@link #decode} ever allocates. */
    public static final int MAX_RAW = 64 << 20;
    /** Current (and only) format version. A reader refuses versions it does not know. */
    public static final int FORMAT_VERSION = 1;
    /** Codec byte: payload is the raw bytes. */
    public static final int CODEC_RAW = 0;
    /** Codec byte: payload is zstd-compressed. */
    public static final int CODEC_ZSTD = 1;

    static final int MAGIC = 0x5257434B; // "RWCK"
    static final int HEADER = 14;
    static final int TRAILER = 4;
    /** Below this, compression saves too little to be worth a frame header and a decompression. */
    static final int MIN_COMPRESS = 512;
    /** Size of the sample that decides whether a larger chunk is worth compressing. */
    static final int SAMPLE = 64 << 10;

    /** Stateless in aircompressor 2.0.2 (a fresh context per call), so one instance serves all threads. */
    private static final ZstdCompressor COMPRESSOR = new ZstdCompressor();
    /** The decompressor keeps tables between calls: one per thread. */
    private static final ThreadLocal<ZstdDecompressor> DECOMPRESSOR = ThreadLocal.withInitial(ZstdDecompressor::new);
    /** Output of the sample compression, thrown away after the decision, so it can be reused. */
    private static final ThreadLocal<byte[]> SAMPLE_OUT =
        ThreadLocal.withInitial(() -> new byte[COMPRESSOR.maxCompressedLength(SAMPLE)]);

    private ChunkCodec() {
    }

    /**
     * One encoded chunk: its id and the file that holds it, as a header, a payload and a trailer.
     * A chunk stored raw refers to the caller's bytes rather than copying them (chunks are
     * megabytes), so it is valid only while the caller leaves those bytes alone.
     */
    public static final class Encoded {
        private final ChunkId id;
        private final int rawLength;
        private final byte[] head;
        private final byte[] payload;
        private final int payloadOffset;
        private final int payloadLength;
        private final byte[] tail;
        private final boolean compressed;

        Encoded(ChunkId id, int rawLength, int codec, byte[] payload, int payloadOffset, int payloadLength) {
            this.id = id;
            this.rawLength = rawLength;
            this.payload = payload;
            this.payloadOffset = payloadOffset;
            this.payloadLength = payloadLength;
            this.compressed = codec == CODEC_ZSTD;
            this.head = new byte[HEADER];
            putInt(head, 0, MAGIC);
            head[4] = (byte) FORMAT_VERSION;
            head[5] = (byte) codec;
            putInt(head, 6, rawLength);
            putInt(head, 10, payloadLength);
            CRC32C crc = new CRC32C();
            crc.update(head, 0, HEADER);
            crc.update(payload, payloadOffset, payloadLength);
            this.tail = new byte[TRAILER];
            putInt(tail, 0, (int) crc.getValue());
        }

        /** @return the SHA-256 of the raw bytes: the chunk's name in the store */
        public ChunkId id() {
            return id;
        }

        /** @return the number of raw (uncompressed) bytes */
        public int rawLength() {
            return rawLength;
        }

        /** @return the whole file in a new array of {@link #fileLength()} bytes */
        public byte[] file() {
            byte[] file = new byte[fileLength()];
            System.arraycopy(head, 0, file, 0, HEADER);
            System.arraycopy(payload, payloadOffset, file, HEADER, payloadLength);
            System.arraycopy(tail, 0, file, HEADER + payloadLength, TRAILER);
            return file;
        }

        /** @return the file as three buffers (header, payload, trailer) for one gathering write, without a copy */
        java.nio.ByteBuffer[] buffers() {
            return new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(head),
                java.nio.ByteBuffer.wrap(payload, payloadOffset, payloadLength), java.nio.ByteBuffer.wrap(tail)};
        }

        /** @return the file's length in bytes */
        public int fileLength() {
            return HEADER + payloadLength + TRAILER;
        }

        /** @return whether the payload is zstd-compressed rather than stored raw */
        public boolean compressed() {
            return compressed;
        }
    }

    /**
     * Encodes {@code raw[off, off + len)} as a chunk file.
     *
     * <p>Compresses only where it pays, and finds that out cheaply: chunks under 512 bytes are
     * stored raw; otherwise up to 64 KiB from the middle of the chunk are compressed first and
     * unless they shrink below 90 % the chunk is stored raw without compressing the rest (so
     * incompressible data such as random doubles costs one sample, not a whole compression); a
     * chunk that passes is compressed whole and still stored raw unless it shrinks below 95 %.
     *
     * @return the id and the file; a chunk stored raw refers to {@code raw} (see {@link Encoded})
     * @throws IndexOutOfBoundsException if the range is not inside {@code raw}
     * @throws IllegalArgumentException if {@code len} exceeds {@link #MAX_RAW}
     */
    public static Encoded encode(byte[] raw, int off, int len) {
        Objects.checkFromIndexSize(off, len, raw.length);
        return encode(raw, off, len, ChunkId.of(raw, off, len));
    }

    /**
     * Like {@link #encode(byte[], int, int)}, for a caller that has named the chunk already.
     *
     * @param id the SHA-256 of {@code raw[off, off + len)}; not checked
     */
    public static Encoded encode(byte[] raw, int off, int len, ChunkId id) {
        Objects.checkFromIndexSize(off, len, raw.length);
        if (len > MAX_RAW) {
            throw new IllegalArgumentException("a chunk holds at most " + MAX_RAW + " bytes, not " + len
                + "; cut the stream into smaller chunks");
        }
        if (len >= MIN_COMPRESS) {
            boolean tryWhole;
            int threshold; // the compressed whole must be below threshold / 20 of len
            if (len <= SAMPLE) {
                // The sample would be the whole chunk: compress it once, under the sample's 90 % rule.
                tryWhole = true;
                threshold = 18;
            } else {
                int sampleLength = SAMPLE;
                int sampleOff = off + (len - sampleLength) / 2;
                byte[] out = SAMPLE_OUT.get();
                int c = COMPRESSOR.compress(raw, sampleOff, sampleLength, out, 0, out.length);
                tryWhole = (long) c * 10 < (long) sampleLength * 9;
                threshold = 19;
            }
            if (tryWhole) {
                int bound = COMPRESSOR.maxCompressedLength(len);
                byte[] out = new byte[bound];
                int c = COMPRESSOR.compress(raw, off, len, out, 0, bound);
                if ((long) c * 20 < (long) len * threshold) {
                    return new Encoded(id, len, CODEC_ZSTD, out, 0, c);
                }
            }
        }
        return new Encoded(id, len, CODEC_RAW, raw, off, len);
    }

    /**
     * Checks a chunk file and returns its raw bytes.
     *
     * <p>Everything in the file is checked before it is trusted: the magic, the format version and
     * the lengths against the file's size, then the CRC32C over the whole file, then the codec and
     * the raw length limit; only then is the payload decompressed (into at most {@link #MAX_RAW}
     * bytes), and finally the result's length and SHA-256 are compared with the header and with
     * {@code expected}.
     *
     * @param expected the id the chunk is stored under
     * @param file holds the file in {@code [0, fileLength)}
     * @param where the chunk's file path, for messages
     * @return a new array with exactly the raw bytes
     * @throws CorruptCheckpointException naming {@code where} and what is wrong, for any damage:
     *     this is the only exception a damaged or foreign file can cause
     * @throws NullPointerException if {@code expected} or {@code file} is null
     * @throws IndexOutOfBoundsException if {@code fileLength} is not in {@code [0, file.length]}
     *     (a bug in the caller, not damage)
     */
    public static byte[] decode(ChunkId expected, byte[] file, int fileLength, String where) {
        Objects.requireNonNull(expected, "expected");
        Objects.checkFromIndexSize(0, fileLength, file.length);
        if (fileLength < 4) {
            throw damaged(where, "it is truncated: only " + fileLength + " bytes long");
        }
        if (getInt(file, 0) != MAGIC) {
            throw damaged(where, "it is not a Rewind chunk file (wrong magic number)");
        }
        if (fileLength < HEADER + TRAILER) {
            throw damaged(where, "it is truncated: only " + fileLength + " bytes long, less than a chunk header");
        }
        int version = file[4] & 0xff;
        if (version != FORMAT_VERSION) {
            throw unreadable(where, "it has unknown format version " + version + " (this Rewind reads version "
                + FORMAT_VERSION + ")");
        }
        int codec = file[5] & 0xff;
        long rawLength = getInt(file, 6) & 0xffffffffL;
        long payloadLength = getInt(file, 10) & 0xffffffffL;
        long declared = HEADER + payloadLength + TRAILER;
        if (fileLength < declared) {
            throw damaged(where, "it is truncated: " + fileLength + " bytes long, its header says " + declared);
        }
        if (fileLength > declared) {
            throw damaged(where, "it is " + fileLength + " bytes long, its header says " + declared
                + " (garbage after the end, or a damaged header)");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, fileLength - TRAILER);
        if ((int) crc.getValue() != getInt(file, fileLength - TRAILER)) {
            throw damaged(where, "its checksum does not match");
        }
        // From here on the header is what the writer wrote; failures below mean a foreign or
        // buggy writer, or damage that happens to keep the CRC.
        if (rawLength > MAX_RAW) {
            throw damaged(where, "it declares " + rawLength + " raw bytes, more than the limit of " + MAX_RAW);
        }
        int n = (int) rawLength;
        int p = (int) payloadLength;
        byte[] raw;
        if (codec == CODEC_RAW) {
            if (p != n) {
                throw damaged(where, "it is stored raw but its payload (" + p + " bytes) is not its raw length ("
                    + n + " bytes)");
            }
            raw = Arrays.copyOfRange(file, HEADER, HEADER + n);
        } else if (codec == CODEC_ZSTD) {
            raw = new byte[n];
            int got;
            try {
                got = DECOMPRESSOR.get().decompress(file, HEADER, p, raw, 0, n);
            } catch (RuntimeException e) {
                // MalformedInputException, or whatever else a decoder can trip over on bad input.
                // Its tables may be half-built: give this thread a fresh one next time.
                DECOMPRESSOR.remove();
                throw new CorruptCheckpointException(message(where, "its compressed data cannot be decompressed ("
                    + e.getMessage() + ")"), e);
            }
            if (got != n) {
                throw damaged(where, "it decompresses to " + got + " bytes, its header says " + n);
            }
        } else {
            throw unreadable(where, "it uses unknown codec " + codec + " (this Rewind knows 0 = raw and 1 = zstd)");
        }
        ChunkId actual = ChunkId.of(raw, 0, n);
        if (!actual.equals(expected)) {
            throw damaged(where, "its content does not match its name (its SHA-256 is " + actual.hex()
                + "); it was replaced or renamed");
        }
        return raw;
    }

    /**
     * Tells, from a chunk file's first {@link #HEADER} bytes and its size, whether it is a whole
     * file of this format for {@code rawLength} raw bytes. Cheap: no content is checked, which is
     * what reading it does.
     *
     * @return the file's length when it is, else -1
     */
    static int framedLength(byte[] header, long fileSize, int rawLength) {
        if (header.length < HEADER || getInt(header, 0) != MAGIC || header[4] != FORMAT_VERSION
                || getInt(header, 6) != rawLength) {
            return -1;
        }
        long expected = (long) HEADER + (getInt(header, 10) & 0xffffffffL) + TRAILER;
        return expected == fileSize ? (int) expected : -1;
    }

    private static CorruptCheckpointException damaged(String where, String what) {
        return new CorruptCheckpointException(message(where, what));
    }

    /** For what may be a newer Rewind's file rather than damage. */
    private static CorruptCheckpointException unreadable(String where, String what) {
        return new CorruptCheckpointException("chunk " + where + " cannot be read: " + what + ". It was written by a"
            + " newer Rewind (use that version to restore checkpoints that use it), or it is damaged.");
    }

    private static String message(String where, String what) {
        return "chunk " + where + " is damaged: " + what + ". Checkpoints that use this chunk cannot be restored;"
            + " restore an older checkpoint that does not use it, and check the disk.";
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
