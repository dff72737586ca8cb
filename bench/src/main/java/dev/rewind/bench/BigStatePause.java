package dev.rewind.bench;

import dev.rewind.Checkpoint;
import dev.rewind.Rewind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Part (b): the pause of one {@link Rewind#checkpoint} with a large static double[] as the
 * program's state, against writing the same number of bytes (the checkpoint's size) with a plain
 * FileChannel write + force(true) to a file in the checkpoint's own folder, in the same JVM.
 *
 * <p>Run under {@code rewind run}. A warm-up checkpoint and a warm-up FileChannel write come first
 * (not counted; they also fault in page-cache memory, see the VM trap in RESULTS.md), then
 * {@code reps} rounds alternate the order (checkpoint first on even rounds, FileChannel first on
 * odd ones). Every file is deleted right after it is timed. Frames on the checkpoint's chain hold
 * only primitives, strings and arrays.
 *
 * <p>Arguments: number of doubles (default 128 Mi), reps (default 5), the baseline's write chunk in
 * bytes (default 64 KiB: on the benchmark VM, 1–8 MiB chunks were bimodal, 0.6 s or 1.5–2.4 s per GiB,
 * while 64 KiB chunks were a steady 0.6–0.7 s).
 *
 * <p>Prints {@code PAUSE <kind> rep=<i> ns=<n> bytes=<b>} lines, kind = ckpt | fc | warm-ckpt | warm-fc;
 * fc lines add {@code write_ns}, the part before force().
 */
public final class BigStatePause {
    /** The program's state: 8 bytes per element. */
    static double[] state;
    /** The FileChannel baseline's direct buffer size (Rewind's own writer also uses 64 KiB). */
    static int chunk;

    private BigStatePause() {
    }

    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 128L * 1024 * 1024;
        int reps = Report.intArg(args, 1, 5);
        chunk = Report.intArg(args, 2, 64 * 1024);
        state = new double[Math.toIntExact(count)];
        for (int i = 0; i < state.length; i++) {
            state[i] = i * 0.5 + (i & 1023) * 1e-3;
        }
        System.out.println("STATE doubles=" + state.length + " bytes=" + 8L * state.length);
        if (!Rewind.isActive()) {
            System.out.println("ERROR not started by rewind run");
            return;
        }
        String[] where = new String[1];
        long[] r = timedCheckpoint("warmup", where);
        print("warm-ckpt", 0, r);
        long bytes = r[1];
        String dir = where[0];
        print("warm-fc", 0, timedFileChannel(dir, bytes));
        for (int rep = 1; rep <= reps; rep++) {
            if (rep % 2 == 1) {
                print("ckpt", rep, timedCheckpoint("rep" + rep, where));
                print("fc", rep, timedFileChannel(dir, bytes));
            } else {
                print("fc", rep, timedFileChannel(dir, bytes));
                print("ckpt", rep, timedCheckpoint("rep" + rep, where));
            }
        }
        System.out.println("DONE");
    }

    private static void print(String kind, int rep, long[] r) {
        System.out.println("PAUSE " + kind + " rep=" + rep + " ns=" + r[0] + " bytes=" + r[1]
            + (r.length > 2 ? " write_ns=" + r[2] : ""));
    }

    /** @return {nanos until durable, bytes}; where[0] receives the checkpoint's folder. Its manifest is deleted. */
    private static long[] timedCheckpoint(String label, String[] where) {
        // new content every time, untimed: the store would otherwise find every piece of the last rep's
        for (int i = 0; i < state.length; i++) {
            state[i] += 1.0;
        }
        long t0 = System.nanoTime();
        Checkpoint c = Rewind.checkpoint(label);
        if (c != null) {
            c.await(); // written in the background since the store: compare until durable, like force(true)
        }
        long t1 = System.nanoTime();
        if (c == null) {
            System.out.println("ERROR resumed: this benchmark is not meant to be resumed");
            System.exit(2);
        }
        where[0] = c.path().getParent().toString();
        long[] out = {t1 - t0, c.sizeBytes()};
        delete(c.path());
        return out;
    }

    /** Writes the state's bytes (then zeros up to {@code bytes}) and forces them; the file is deleted. */
    private static long[] timedFileChannel(String dir, long bytes) {
        Path file = Path.of(dir, "filechannel-baseline.bin");
        long t0 = System.nanoTime();
        long tWritten = 0;
        long written;
        try {
            long[] w = FileChannelBaseline.write(file, new double[][] {state}, bytes, chunk);
            written = w[0];
            tWritten = w[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t1 = System.nanoTime();
        delete(file);
        return new long[] {t1 - t0, written, tWritten - t0};
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
