package dev.rewind.it.programs;

import dev.rewind.CheckpointRefusedException;
import dev.rewind.Rewind;

/**
 * The corpus's only door to {@link Rewind#checkpoint(String)}.
 *
 * <p>{@link #point(String)} checkpoints on every {@code -Dck.every=E}-th call (default 1) counted
 * in a static field, so the count is part of the saved state and a resumed JVM goes on counting
 * where the checkpoint left off. {@link #work()} is the {@code -Dwork=W} multiplier (default 1):
 * the "hot" mode of the differential test runs every scenario W times and checkpoints once every E
 * calls, so that checkpoints are taken in code that the JIT has compiled.
 *
 * <p>{@link #log(String)} is for per-iteration chatter: it prints every line when E is 1, and
 * otherwise only the lines printed right before and right after a call that really checkpoints,
 * which keeps the hot mode's output small. It depends only on the (restored) call count, so it
 * prints the same lines whether or not the program was interrupted.
 *
 * <p>{@code -Dck.trace=true} prints a marker line {@code #CK <n> <label>} right before each real
 * checkpoint; the harness uses it with {@code -XX:+PrintCompilation} to see what was compiled
 * when each checkpoint was taken. Never used in differential runs.
 */
public final class Ck {
    private static int every = Math.max(1, Integer.getInteger("ck.every", 1));
    private static boolean trace = Boolean.getBoolean("ck.trace");
    private static long calls;
    private static int taken;

    private Ck() {
    }

    /** Counts a call and checkpoints on every {@code ck.every}-th one. The result is ignored. */
    public static void point(String label) {
        long c = ++calls;
        if (c % every == 0) {
            taken++;
            if (trace) {
                System.out.println("#CK " + taken + " " + label);
            }
            Rewind.checkpoint(label);
        }
    }

    /**
     * Checkpoints now, whatever {@code ck.every} says, and tells whether Rewind refused (a
     * {@link CheckpointRefusedException}); for sites the engine may legitimately refuse.
     */
    public static String force(String label) {
        try {
            taken++;
            if (trace) {
                System.out.println("#CK " + taken + " " + label);
            }
            Rewind.checkpoint(label);
            return "taken";
        } catch (CheckpointRefusedException e) {
            taken--;
            return "refused";
        }
    }

    /** The {@code -Dwork=W} multiplier, at least 1. */
    public static int work() {
        return Math.max(1, Integer.getInteger("work", 1));
    }

    /** Prints the line when {@code ck.every} is 1, or when it is next to a real checkpoint. */
    public static void log(String line) {
        if (every == 1 || (calls + 1) % every == 0 || calls % every == 0) {
            System.out.println(line);
        }
    }

    /** The number of {@link #point(String)} calls so far (restored with the statics). */
    public static long calls() {
        return calls;
    }

    /** Prints the program's final line: its result plus the number of checkpoint calls. */
    public static void done(String result) {
        System.out.println("RESULT " + result + " ckCalls=" + calls);
    }

    /** A 64-bit mixing step for checksums (deterministic, no identity hashes). */
    public static long mix(long h, long v) {
        h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
        return h * 0xBF58476D1CE4E5B9L;
    }

    /** Checksum of a string's chars. */
    public static long mix(long h, String s) {
        if (s == null) {
            return mix(h, -1);
        }
        for (int i = 0; i < s.length(); i++) {
            h = mix(h, s.charAt(i));
        }
        return mix(h, s.length());
    }
}
