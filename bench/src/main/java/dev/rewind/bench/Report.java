package dev.rewind.bench;

/**
 * The one line every CPU-bound benchmark program prints, parsed by {@link BenchDriver}:
 * {@code RESULT <name> checksum=<hex> work_ns=<n>}. {@code work_ns} is the in-program time of the
 * measured work only (after the warm-up), so it excludes JVM and agent start-up.
 */
public final class Report {
    private Report() {
    }

    /**
     * @param name the program's short name
     * @param checksum a value that depends on all the work, so the JIT cannot drop it
     * @param workNanos System.nanoTime() difference around the measured work
     */
    public static void print(String name, long checksum, long workNanos) {
        System.out.println("RESULT " + name + " checksum=" + Long.toHexString(checksum) + " work_ns=" + workNanos);
    }

    /**
     * The measured work of one program: checksum and in-program time.
     *
     * @param checksum what the work returned
     * @param nanos System.nanoTime() difference around it
     */
    public record Timed(long checksum, long nanos) {
    }

    /**
     * Runs the work three times at the warm-up size (so that the JIT has compiled it), then once at
     * the measured size, timed.
     */
    public static Timed time(int warmupSize, int size, java.util.function.IntToLongFunction work) {
        for (int w = 0; w < 3; w++) {
            work.applyAsLong(warmupSize);
        }
        long t0 = System.nanoTime();
        long sum = work.applyAsLong(size);
        return new Timed(sum, System.nanoTime() - t0);
    }

    /** Prints the RESULT line of a timed run. */
    public static void print(String name, Timed timed) {
        print(name, timed.checksum(), timed.nanos());
    }

    /** @return the integer argument at index i, or the default */
    public static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
