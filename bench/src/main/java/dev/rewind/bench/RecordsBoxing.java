package dev.rewind.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Allocation-heavy code that relies on escape analysis: immutable Point records created in a hot
 * loop (scalar-replaced by C2 when EA is on), boxed Integer keys and values in a HashMap, and a
 * boxed Long accumulator.
 */
public final class RecordsBoxing {
    record Point(double x, double y) {
        Point plus(Point o) {
            return new Point(x + o.x, y + o.y);
        }

        Point scale(double k) {
            return new Point(x * k, y * k);
        }

        Point rotate(double c, double s) {
            return new Point(c * x - s * y, s * x + c * y);
        }
    }

    /** Time of the last work() call's two phases: the record loop and the boxed map. */
    private static final long[] phaseNanos = new long[2];

    private RecordsBoxing() {
    }

    public static void main(String[] args) {
        int n = Report.intArg(args, 0, 60_000_000);
        Report.Timed timed = Report.time(n / 20, n, RecordsBoxing::work);
        System.out.println("PHASES records_ns=" + phaseNanos[0] + " boxing_ns=" + phaseNanos[1]);
        Report.print("records-boxing", timed);
    }

    static long work(int n) {
        long t0 = System.nanoTime();
        // records in a hot loop: nothing escapes
        Point p = new Point(1, 0);
        Point v = new Point(0.001, 0.002);
        double c = Math.cos(0.001);
        double s = Math.sin(0.001);
        for (int i = 0; i < n; i++) {
            p = p.rotate(c, s).plus(v).scale(0.999999);
        }
        long t1 = System.nanoTime();
        // boxed keys and values: Integer.valueOf beyond the cache allocates
        Map<Integer, Integer> counts = new HashMap<>();
        Long boxed = 0L;
        int m = n / 8;
        int x = 12345;
        for (int i = 0; i < m; i++) {
            x = x * 1103515245 + 12345;
            Integer key = (x >>> 8) & 0xFFFF;
            counts.merge(key, 1, Integer::sum);
            boxed += key;
        }
        phaseNanos[0] = t1 - t0;
        phaseNanos[1] = System.nanoTime() - t1;
        long h = Double.doubleToLongBits(p.x()) * 31 + Double.doubleToLongBits(p.y());
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            h += (long) e.getKey() * e.getValue();
        }
        return h ^ boxed;
    }
}
