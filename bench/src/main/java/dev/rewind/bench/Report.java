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

    /** @return the integer argument at index i, or the default */
    public static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
