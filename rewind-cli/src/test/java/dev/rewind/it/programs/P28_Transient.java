package dev.rewind.it.programs;

import java.util.HashMap;
import java.util.Map;

/**
 * A transient field of an application class comes back as its default after a resume: the cache
 * is re-created lazily when null, and nothing printed depends on whether that happened.
 */
public final class P28_Transient {
    static final class Fib {
        private transient Map<Integer, Long> cache;
        private transient int[] scratch = new int[8];
        private long computed;

        long fib(int n) {
            if (cache == null) {
                cache = new HashMap<>();
            }
            if (n < 2) {
                return n;
            }
            Long c = cache.get(n);
            if (c != null) {
                return c;
            }
            long v = fib(n - 1) + fib(n - 2);
            cache.put(n, v);
            computed++;
            return v;
        }

        int scratchSum(int seed) {
            if (scratch == null) {
                scratch = new int[8];
            }
            for (int i = 0; i < scratch.length; i++) {
                scratch[i] = seed * i;
            }
            int s = 0;
            for (int v : scratch) {
                s += v;
            }
            return s;
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Fib fib = new Fib();
        long h = 0;
        for (int round = 0; round < 6 * w; round++) {
            int n = 20 + round % 50;
            long v = fib.fib(n);
            int s = fib.scratchSum(round);
            Ck.log("round " + round + " fib(" + n + ")=" + v + " scratch=" + s);
            Ck.point("P28 round " + round);
            long again = fib.fib(n);
            Ck.log("after " + round + " fib again=" + again + " same=" + (again == v) + " scratch=" + fib.scratchSum(round + 1));
            h = Ck.mix(h, v);
            h = Ck.mix(h, s);
        }
        // 'computed' depends on cache hits, so it is not printed; only results are.
        Ck.done("h=" + Long.toHexString(h) + " fib90=" + fib.fib(90));
    }
}
