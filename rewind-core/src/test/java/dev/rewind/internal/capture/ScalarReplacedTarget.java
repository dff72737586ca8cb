package dev.rewind.internal.capture;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Child-JVM program for {@link EscapeBarrierTest}: makes C2 scalar-replace a {@link Point} and
 * eliminate a lock on a non-escaping object in {@link #hot(int)}, then captures {@code hot}'s frame
 * with {@code java.lang.LiveStackFrame} from a callee and prints one line:
 * {@code RESULT phase=<plain|materialized> active=<bool> point=<null|Point(x,y)> pointOk=<bool> lock=..
 * monitors=<n>:<class> lockOk=<bool> err=<int> depth=<n>} twice: once capturing without and once
 * after {@link EscapeBarrier#materialize()}. Argument {@code depth=<n>}: capture from n recursive
 * frames below the probe. Run it with {@code -Xbatch} so C2 has compiled hot() when warm-up ends.
 *
 * <p>The capture runs inside {@link Probe#probe(int)}, reached through a megamorphic call site so
 * C2 never inlines it into {@code hot}: the uncommon trap taken when the capture branch first runs
 * then deoptimises only the probe's frame, and {@code hot}'s frame stays compiled.
 */
public final class ScalarReplacedTarget {

    static final class Point {
        final int x;
        final int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public String toString() {
            return "Point(" + x + "," + y + ")";
        }
    }

    interface Probe {
        int probe(int i);
    }

    static final class P1 implements Probe {
        public int probe(int i) {
            return check(i) + 1;
        }
    }

    static final class P2 implements Probe {
        public int probe(int i) {
            return check(i) + 2;
        }
    }

    static final class P3 implements Probe {
        public int probe(int i) {
            return check(i) + 3;
        }
    }

    static final Probe[] PROBES = {new P1(), new P2(), new P3()};
    static volatile int captureAt = -1;
    static volatile String result;
    static boolean useBarrier;
    static String phase;
    static int extraDepth;

    static int hot(int i) {
        Point p = new Point(i, i + 1);          // slot 1: does not escape -> scalar-replaced by C2
        Object lock = new Object();             // slot 2: does not escape -> lock eliminated by C2
        synchronized (lock) {
            int r = PROBES[i % 3].probe(i);     // safepoint with p and lock live
            return r + p.x + p.y;               // keep p live across the call
        }
    }

    static int check(int i) {
        if (i == captureAt) {
            captureAt = -1;
            deep(i, extraDepth);
        }
        return i & 7;
    }

    static int run(int from, int n) {
        int sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += hot(i);
        }
        return sum;
    }

    /** Captures {@code depth} frames below the probe, to check how deep the barrier reaches. */
    static void deep(int i, int depth) {
        if (depth > 0) {
            deep(i, depth - 1);
        } else {
            capture(i);
        }
    }

    static void capture(int i) {
        try {
            if (useBarrier) {
                EscapeBarrier.materialize();
            }
            Class<?> lsf = Class.forName("java.lang.LiveStackFrame");
            Method getWalker = lsf.getMethod("getStackWalker", Set.class);
            getWalker.setAccessible(true);
            Method getLocals = lsf.getMethod("getLocals");
            getLocals.setAccessible(true);
            Method getMonitors = lsf.getMethod("getMonitors");
            getMonitors.setAccessible(true);
            StackWalker walker = (StackWalker) getWalker.invoke(null,
                    EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));
            StackWalker.StackFrame frame = walker.walk(s -> s
                    .filter(f -> f.getDeclaringClass() == ScalarReplacedTarget.class && f.getMethodName().equals("hot"))
                    .findFirst().orElseThrow());
            Object[] locals = (Object[]) getLocals.invoke(frame);
            Object[] monitors = (Object[]) getMonitors.invoke(frame);
            Object p = locals[1];
            Object lock = locals[3]; // javac's copy of the monitor (slot 2 is dead after monitorenter)
            boolean pointOk = p instanceof Point && ((Point) p).x == i && ((Point) p).y == i + 1;
            boolean lockOk = lock != null && monitors.length == 1 && monitors[0] == lock;
            Object monitor = monitors.length == 0 ? "none" : monitors[0] == null ? "null" : monitors[0].getClass().getSimpleName();
            result = "RESULT phase=" + phase + " active=" + EscapeBarrier.isActive() + " point=" + p + " pointOk=" + pointOk
                    + " lock=" + (lock == null ? "null" : "Object") + " monitors=" + monitors.length + ":" + monitor
                    + " lockOk=" + lockOk + " err=" + EscapeBarrier.lastError() + " depth=" + extraDepth;
        } catch (Throwable t) {
            result = "RESULT error=" + t;
        }
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (arg.startsWith("depth=")) {
                extraDepth = Integer.parseInt(arg.substring(6));
            }
        }
        int total = 0;
        // warm-up: hot() gets C2-compiled (run with -Xbatch so compilation is done when the loop ends)
        for (int round = 0; round < 30; round++) {
            total += run(round * 20_000, 20_000);
        }
        // 1) plain capture: proves hot() is C2-compiled with p scalar-replaced (p reads as null)
        useBarrier = false;
        phase = "plain";
        captureAt = 1_000_003;
        total += run(1_000_000, 10);
        System.out.println(result);
        // 2) EscapeBarrier.materialize() first (a no-op without the agent)
        useBarrier = true;
        phase = "materialized";
        captureAt = 1_000_103;
        total += run(1_000_100, 10);
        System.out.println(result);
        System.out.println("describeRoute: " + EscapeBarrier.describeRoute());
        System.out.println("checksum " + total);
    }
}
