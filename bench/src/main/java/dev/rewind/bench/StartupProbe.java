package dev.rewind.bench;

import dev.rewind.Checkpoint;
import dev.rewind.Rewind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Part (c): time to the first instruction. Prints wall-clock instants (epoch microseconds from
 * {@link Instant#now()}, comparable across processes, unlike System.nanoTime) that the driver
 * subtracts from the instant it recorded just before starting the process.
 *
 * <ul>
 *   <li>{@code first-only}: prints {@code FIRST_MAIN t} as main's first action and exits (plain
 *       start, or start under {@code rewind run}).</li>
 *   <li>{@code small} / {@code big}: builds 1,024 or 128 Mi doubles of state and checkpoints. Under
 *       {@code rewind resume} the checkpoint returns null and the program prints
 *       {@code FIRST_RESUMED t} at once, then checks that the state came back.</li>
 *   <li>{@code write-raw FILE} / {@code load-raw FILE}: a hand-rolled reference for the big case:
 *       a plain JVM that reads the same 1 GiB of doubles back from a raw file
 *       ({@code LOADED t}).</li>
 * </ul>
 */
public final class StartupProbe {
    static double[] state;

    private StartupProbe() {
    }

    public static void main(String[] args) {
        long first = micros();
        System.out.println("FIRST_MAIN " + first);
        String mode = args.length > 0 ? args[0] : "first-only";
        if (mode.equals("first-only")) {
            return;
        }
        if (mode.equals("write-raw") || mode.equals("load-raw")) {
            raw(mode, args[1]);
            return;
        }
        int n = mode.equals("big") ? 128 * 1024 * 1024 : 1024;
        state = new double[n];
        for (int i = 0; i < n; i++) {
            state[i] = i * 0.25 + 1;
        }
        long expected = checksum(state);
        Checkpoint saved = Rewind.checkpoint(mode);
        if (saved == null) {
            long resumed = micros();
            System.out.println("FIRST_RESUMED " + resumed);
            long got = checksum(state);
            System.out.println("STATE " + (got == expected ? "ok" : "MISMATCH") + " checksum=" + Long.toHexString(got));
            return;
        }
        System.out.println("SAVED bytes=" + saved.sizeBytes() + " checksum=" + Long.toHexString(expected));
    }

    static long micros() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static long checksum(double[] a) {
        long h = 0x9E3779B97F4A7C15L;
        for (double v : a) {
            h = (h ^ Double.doubleToRawLongBits(v)) * 0x100000001B3L;
        }
        return h;
    }

    private static void raw(String mode, String file) {
        Path p = Path.of(file);
        int n = 128 * 1024 * 1024;
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.capacity() / 8;
        try {
            if (mode.equals("write-raw")) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (int off = 0; off < n; off += per) {
                        buf.clear();
                        for (int i = 0; i < per; i++) {
                            buf.putDouble((off + i) * 0.25 + 1);
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            ch.write(buf);
                        }
                    }
                    ch.force(true);
                }
                System.out.println("WROTE " + p);
                return;
            }
            double[] a = new double[n];
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                for (int off = 0; off < n; off += per) {
                    buf.clear();
                    while (buf.hasRemaining() && ch.read(buf) > 0) {
                        // fill the buffer
                    }
                    buf.flip();
                    buf.asDoubleBuffer().get(a, off, Math.min(per, n - off));
                }
            }
            state = a;
            System.out.println("LOADED " + micros());
            System.out.println("STATE checksum=" + Long.toHexString(checksum(a)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
