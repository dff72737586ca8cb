package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import dev.rewind.CorruptCheckpointException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reader's input: reads the frames {@link OutBuffer} produces, never past the end frame, and
 * turns every shortage or malformed number into a {@link CorruptCheckpointException} that says at
 * which byte the problem is.
 */
final class InBuffer {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long BYTE_BASE = UnsafeAccess.arrayBaseOffset(byte[].class);
    private static final long CHAR_BASE = UnsafeAccess.arrayBaseOffset(char[].class);
    /** Lengths needing up to this many bytes are believed without checking the stream first. */
    private static final long TRUSTED_BYTES = 1 << 20;
    /** Largest array length the JVM can allocate. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final InputStream in;
    private byte[] buf = new byte[OutBuffer.SIZE];
    private int pos, limit;
    /** Bytes of the current frame not yet copied into buf. */
    private int frameRemaining;
    private boolean endFrameSeen;
    /** Bytes taken from the stream so far. */
    private long consumed;

    InBuffer(InputStream in, long alreadyConsumed) {
        this.in = in;
        this.consumed = alreadyConsumed;
    }

    /** Approximate offset in the stream of the next unread byte, for messages. */
    long position() {
        return consumed - (limit - pos);
    }

    CorruptCheckpointException corrupt(String message) {
        return new CorruptCheckpointException(message + " (at byte " + position() + " of the object graph)");
    }

    private CorruptCheckpointException truncated(long needed, String what) {
        return new CorruptCheckpointException("truncated object graph: expected " + needed + " more bytes"
                + (what == null ? "" : " of " + what) + ", but the checkpoint ends at byte " + consumed);
    }

    /**
     * Makes at least {@code need} bytes available in buf[pos..limit). The buffer grows only as data
     * actually arrives, so a garbage length in a short stream fails as truncated without first
     * allocating what the length claims.
     */
    private void fill(int need, String what) throws IOException {
        if (limit - pos >= need) {
            return;
        }
        int have = limit - pos;
        if (buf.length > OutBuffer.SIZE && need <= OutBuffer.SIZE) {
            // a large read-ahead has been consumed: go back to the normal buffer
            byte[] next = new byte[OutBuffer.SIZE];
            System.arraycopy(buf, pos, next, 0, have);
            buf = next;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, have);
        }
        pos = 0;
        limit = have;
        while (limit < need) {
            if (frameRemaining == 0) {
                if (endFrameSeen) {
                    throw truncated(need - limit, what);
                }
                frameRemaining = readFrameHeader(need - limit, what);
                if (frameRemaining == 0) {
                    endFrameSeen = true;
                    throw truncated(need - limit, what);
                }
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(need, Math.max(2L * buf.length, OutBuffer.SIZE)));
            }
            int n = in.read(buf, limit, Math.min(frameRemaining, buf.length - limit));
            if (n < 0) {
                throw truncated(need - limit, what);
            }
            limit += n;
            frameRemaining -= n;
            consumed += n;
        }
    }

    private int readFrameHeader(long needed, String what) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw truncated(needed, what);
            }
            consumed++;
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0 || (shift == 28 && (b & 0x70) != 0)) {
                    break;
                }
                return v;
            }
        }
        throw new CorruptCheckpointException("malformed frame length at byte " + consumed + " of the object graph");
    }

    /** Checks that the graph ends here: nothing left in the current frame, then the end frame. */
    void expectEnd() throws IOException {
        if (limit - pos != 0 || frameRemaining != 0) {
            throw corrupt("unexpected data after the end of the object graph");
        }
        if (!endFrameSeen && readFrameHeader(1, "end frame") != 0) {
            throw corrupt("unexpected data after the end of the object graph");
        }
        endFrameSeen = true;
    }

    int readUnsignedByte() throws IOException {
        if (pos == limit) {
            fill(1, null);
        }
        return buf[pos++] & 0xFF;
    }

    boolean readBoolean() throws IOException {
        int b = readUnsignedByte();
        if (b > 1) {
            pos--;
            throw corrupt("invalid boolean value " + b);
        }
        return b != 0;
    }

    byte readByte() throws IOException {
        return (byte) readUnsignedByte();
    }

    short readShort() throws IOException {
        if (limit - pos < 2) {
            fill(2, null);
        }
        short v = (short) SHORT.get(buf, pos);
        pos += 2;
        return v;
    }

    char readChar() throws IOException {
        return (char) readShort();
    }

    int readInt() throws IOException {
        if (limit - pos < 4) {
            fill(4, null);
        }
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    long readLong() throws IOException {
        if (limit - pos < 8) {
            fill(8, null);
        }
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /** Unsigned varint that must fit in a non-negative int. */
    int readVarInt() throws IOException {
        long v = readVarLong();
        if (v > Integer.MAX_VALUE) {
            throw corrupt("number " + v + " is out of range");
        }
        return (int) v;
    }

    /** Unsigned varint that must fit in a non-negative long. */
    long readVarLong() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("malformed number (more than 9 bytes)");
    }

    /**
     * Confirms, before allocating for a length read from the stream, that {@code bytes} more bytes
     * really follow, so garbage lengths fail as corrupt input instead of exhausting the heap. Small
     * amounts are believed; larger ones are confirmed by the stream's available() (exact for files,
     * byte arrays and the store's chunk streams) or else by reading ahead, which costs a temporary
     * buffer of that size.
     *
     * @return false when the amount is too large to confirm by reading ahead (more than 2 GiB; the
     *     caller then allocates and treats OutOfMemoryError as corruption)
     */
    boolean confirm(long bytes, String what) throws IOException {
        long buffered = (limit - pos) + (long) frameRemaining;
        if (bytes <= TRUSTED_BYTES || bytes <= buffered) {
            return true;
        }
        if (bytes <= buffered + in.available()) {
            return true;
        }
        if (bytes > MAX_ARRAY) {
            return false;
        }
        fill((int) bytes, what);
        return true;
    }

    /** Reads {@code bytes} bytes into a primitive array at {@code offset}, in bulk. */
    void readBulk(Object array, long offset, long bytes, int elemSize, String what) throws IOException {
        while (bytes > 0) {
            int avail = (limit - pos) / elemSize * elemSize;
            if (avail == 0) {
                fill(elemSize, what + " (" + bytes + " bytes still missing)");
                continue;
            }
            int n = (int) Math.min(avail, bytes);
            UnsafeAccess.copyLittleEndian(buf, BYTE_BASE + pos, array, offset, n, elemSize);
            pos += n;
            offset += n;
            bytes -= n;
        }
    }

    /** Reads a string written by {@link OutBuffer#writeString}. */
    String readString() throws IOException {
        long header = readVarLong();
        long len = header >>> 1;
        boolean latin1 = (header & 1) != 0;
        long bytes = latin1 ? len : len * 2;
        if (len > MAX_ARRAY || bytes > MAX_ARRAY) {
            throw corrupt("string length " + len + " is impossible");
        }
        int n = (int) len;
        if (latin1) {
            if (bytes <= buf.length) {
                fill(n, "string data");
                String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
                pos += n;
                return s;
            }
            confirm(bytes, "string data");
            byte[] data = allocateBytes(n, "string");
            readBulk(data, BYTE_BASE, n, 1, "string data");
            return new String(data, StandardCharsets.ISO_8859_1);
        }
        confirm(bytes, "string data");
        char[] chars;
        try {
            chars = new char[n];
        } catch (OutOfMemoryError e) {
            throw corrupt("a string of " + n + " characters does not fit in the heap: the checkpoint is corrupt or -Xmx is too small");
        }
        readBulk(chars, CHAR_BASE, bytes, 2, "string data");
        return new String(chars);
    }

    /** Reads a string used as a name in a class definition; names are never empty and short. */
    String readName(String what) throws IOException {
        String s = readString();
        if (s.isEmpty() || s.length() > 65535) {
            throw corrupt("invalid " + what + " '" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'");
        }
        return s;
    }

    private byte[] allocateBytes(int n, String what) {
        try {
            return new byte[n];
        } catch (OutOfMemoryError e) {
            throw corrupt("a " + what + " of " + n + " bytes does not fit in the heap: the checkpoint is corrupt or -Xmx is too small");
        }
    }
}
