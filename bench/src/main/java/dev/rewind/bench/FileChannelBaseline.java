package dev.rewind.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The baseline of the checkpoint benchmarks: the same bytes written the plain way, double arrays
 * through a direct buffer into a FileChannel, then one {@code force(true)}.
 */
final class FileChannelBaseline {
    private FileChannelBaseline() {
    }

    /**
     * Writes the arrays' bytes, then zeros up to {@code bytes}, into a new {@code file}, and forces it.
     *
     * @return {bytes written, System.nanoTime() when written and not yet forced}
     */
    static long[] write(Path file, double[][] arrays, long bytes, int bufferBytes) throws IOException {
        long written = 0;
        long tWritten;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
            DoubleBuffer view = buf.asDoubleBuffer();
            int per = view.capacity();
            for (double[] d : arrays) {
                for (int off = 0; off < d.length && written < bytes; off += per) {
                    int n = Math.min(per, d.length - off);
                    view.clear();
                    view.put(d, off, n);
                    buf.clear().limit(n * 8);
                    while (buf.hasRemaining()) {
                        written += ch.write(buf);
                    }
                }
            }
            buf.clear();
            for (int i = 0; i < buf.capacity(); i++) {
                buf.put(i, (byte) 0);
            }
            while (written < bytes) {
                buf.clear().limit((int) Math.min(buf.capacity(), bytes - written));
                while (buf.hasRemaining()) {
                    written += ch.write(buf);
                }
            }
            tWritten = System.nanoTime();
            ch.force(true);
        }
        return new long[] {written, tWritten};
    }
}
