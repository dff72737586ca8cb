package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The writer's output: a 64 KiB buffer sent to the stream as length-prefixed frames (a varint length,
 * then that many bytes; a zero length ends the graph). Frames let the reader stop exactly at the end
 * of the graph even though it reads ahead. Numbers are little-endian; primitive arrays are copied
 * into the buffer in bulk.
 */
final class OutBuffer {
    static final int SIZE = 1 << 16;
    /** Arrays at least this large are announced to a {@link BulkSink}. */
    static final long BULK_THRESHOLD = 1 << 20;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long BYTE_BASE = UnsafeAccess.arrayBaseOffset(byte[].class);
    private static final long CHAR_BASE = UnsafeAccess.arrayBaseOffset(char[].class);

    private final OutputStream out;
    private final byte[] buf = new byte[SIZE];
    private final byte[] frameHeader = new byte[5];
    private char[] chars;
    private int pos;
    private long written;

    OutBuffer(OutputStream out) {
        this.out = out;
    }

    /** Drops buffered bytes of a graph whose writing was abandoned (refused). */
    void discard() {
        pos = 0;
    }

    /** Writes bytes directly, outside any frame: only for the header before the first frame. */
    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    /** Makes room for {@code n <= SIZE} bytes. */
    private void ensure(int n) throws IOException {
        if (SIZE - pos < n) {
            flushFrame();
        }
    }

    private void flushFrame() throws IOException {
        if (pos == 0) {
            return;
        }
        writeFrameHeader(pos);
        out.write(buf, 0, pos);
        written += pos;
        pos = 0;
    }

    private void writeFrameHeader(int length) throws IOException {
        int n = 0;
        int v = length;
        while ((v & ~0x7F) != 0) {
            frameHeader[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        frameHeader[n++] = (byte) v;
        out.write(frameHeader, 0, n);
        written += n;
    }

    /** Sends what is buffered and the end frame; flushes but does not close the stream. */
    void finish() throws IOException {
        flushFrame();
        writeFrameHeader(0);
        out.flush();
    }

    /** Total bytes handed to the stream so far. */
    long written() {
        return written + pos;
    }

    void writeByte(int v) throws IOException {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void writeBoolean(boolean v) throws IOException {
        writeByte(v ? 1 : 0);
    }

    void writeShort(short v) throws IOException {
        ensure(2);
        SHORT.set(buf, pos, v);
        pos += 2;
    }

    void writeChar(char v) throws IOException {
        writeShort((short) v);
    }

    void writeInt(int v) throws IOException {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    void writeLong(long v) throws IOException {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    void writeFloat(float v) throws IOException {
        writeInt(Float.floatToRawIntBits(v));
    }

    void writeDouble(double v) throws IOException {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** Unsigned LEB128; ids, lengths and counts are small most of the time. */
    void writeVarInt(int v) throws IOException {
        ensure(5);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    void writeVarLong(long v) throws IOException {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** Length and Latin-1 flag as one varint, then Latin-1 bytes or little-endian UTF-16 code units. */
    void writeString(String s) throws IOException {
        int len = s.length();
        byte[] latin1 = StringLayout.latin1(s);
        if (latin1 != null) {
            writeVarLong(((long) len << 1) | 1);
            writeBulk(latin1, BYTE_BASE, len, 1);
            return;
        }
        writeVarLong((long) len << 1);
        if (chars == null) {
            chars = new char[SIZE / 2];
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(chars.length, len - done);
            s.getChars(done, done + n, chars, 0);
            writeBulk(chars, CHAR_BASE, (long) n * 2, 2);
            done += n;
        }
    }

    /** Copies {@code bytes} bytes of a primitive array starting at {@code offset}, in buffer-sized pieces. */
    void writeBulk(Object array, long offset, long bytes, int elemSize) throws IOException {
        BulkSink sink = bytes >= BULK_THRESHOLD && out instanceof BulkSink ? (BulkSink) out : null;
        if (sink == null) {
            copyBulk(array, offset, bytes, elemSize);
            return;
        }
        // start the array on a frame boundary, so that its frames depend on the array alone; the
        // frames are the ones copyBulk would make (SIZE bytes each, the last one shorter)
        flushFrame();
        sink.beginArray(array, offset, bytes, elemSize);
        for (long done = 0; done < bytes; ) {
            long piece = Math.min(BulkSink.PIECE_DATA, bytes - done);
            long reused = sink.reusePiece(array, offset + done, piece, elemSize);
            if (reused >= 0) {
                written += reused;
            } else {
                for (long f = 0; f < piece; f += SIZE) {
                    int n = (int) Math.min(SIZE, piece - f);
                    writeFrameHeader(n);
                    sink.writeArray(array, offset + done + f, n, elemSize);
                    written += n;
                }
                sink.endPiece();
            }
            done += piece;
        }
        sink.endBulk();
    }

    private void copyBulk(Object array, long offset, long bytes, int elemSize) throws IOException {
        while (bytes > 0) {
            int room = (SIZE - pos) / elemSize * elemSize;
            if (room == 0) {
                flushFrame();
                continue;
            }
            int n = (int) Math.min(room, bytes);
            UnsafeAccess.copyLittleEndian(array, offset, buf, BYTE_BASE + pos, n, elemSize);
            pos += n;
            offset += n;
            bytes -= n;
        }
    }
}
