package dev.rewind.examples.state;

import dev.rewind.StateCheckpoint;
import java.util.concurrent.locks.LockSupport;

/**
 * An HPC-style loop that reloads its counter and its data on restart: the state is the iteration
 * counter and an array of cells the loop updates; it is saved every K iterations. Kill it at any
 * moment and start it again: it goes on from the last save and prints the same checksum as an
 * uninterrupted run. SIGTERM (as a batch scheduler sends before a job's time is up) saves the
 * current iteration before the JVM exits.
 *
 * <pre>
 *   java -cp rewind-core/target/rewind-core-*.jar:examples/target/classes dev.rewind.examples.state.Counter
 * </pre>
 *
 * Arguments: iterations (default 200000), K (default 10000) and a pause in microseconds per
 * iteration (default 20).
 */
public final class Counter {
    private final long iterations;
    private long done;
    private final long[] cells = new long[4096];

    private Counter(long iterations) {
        this.iterations = iterations;
    }

    /** One iteration of "work": mixes the counter into one cell. */
    private void iterate() {
        int i = (int) (done % cells.length);
        long x = cells[i] ^ (done * 0x9E3779B97F4A7C15L);
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        cells[i] = x ^ (x >>> 29);
        done++;
    }

    private long checksum() {
        long sum = 17;
        for (long c : cells) {
            sum = sum * 31 + c;
        }
        return sum;
    }

    public static void main(String[] args) {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        long every = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        long pauseMicros = args.length > 2 ? Long.parseLong(args[2]) : 20;
        try (StateCheckpoint<Counter> ck = StateCheckpoint.open("counter-" + iterations, Counter.class,
                () -> new Counter(iterations))) {
            Counter c = ck.state();
            System.out.println(ck.resumed() ? "resumed at iteration " + c.done : "starting");
            while (c.done < c.iterations) {
                synchronized (ck.lock()) { // SIGTERM saves from another thread: keep it from seeing half an update
                    c.iterate();
                }
                if (pauseMicros > 0) {
                    LockSupport.parkNanos(pauseMicros * 1000);
                }
                if (c.done % every == 0) {
                    System.out.println("saving iteration " + c.done);
                    ck.save();
                    System.out.println("saved iteration " + c.done);
                }
            }
            System.out.println("counter: " + c.done + " iterations, checksum " + Long.toHexString(c.checksum()));
        }
    }
}
