package dev.rewind.internal.restore;

import java.util.ArrayList;
import java.util.List;

/** Language constructs around call sites; each method's result is compared before and after transformation. */
public class PrologueTarget {
    private final Object lock = new Object();
    private long total;

    static int helper(int x) {
        return x * 3 + 1;
    }

    /** Calls with values of every kind pending on the operand stack. */
    public static long operandStack(int n) {
        long acc = 7;
        double d = 0.5;
        for (int i = 0; i < n; i++) {
            acc += 10 + helper(i); // int on the stack under a call
            d = d * 1.5 + helper(i); // double pending
            acc = acc * helper(2) + (long) d;
        }
        String s = "a" + helper(1) + "b" + helper(2);
        return acc + s.length();
    }

    /** Nested synchronized blocks and a synchronized method on the path. */
    public long locks(int n) {
        synchronized (lock) {
            for (int i = 0; i < n; i++) {
                synchronized (this) {
                    total += helper(i);
                    total += syncMethod(i);
                }
            }
        }
        return total;
    }

    synchronized int syncMethod(int i) {
        return helper(i) - i;
    }

    /** try/catch/finally around calls. */
    public static int exceptions(int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            try {
                if (helper(i) % 4 == 0) {
                    throw new IllegalStateException("x" + helper(i));
                }
                count += helper(i);
            } catch (IllegalStateException e) {
                count -= e.getMessage().length();
            } finally {
                count += helper(0);
            }
        }
        return count;
    }

    /** Switches, longs and doubles in locals, a call as the loop condition. */
    public static double mixed(int n) {
        long big = 1L << 40;
        double x = 1.0;
        float f = 2.5f;
        int i = 0;
        while (helper(i) < n * 3) {
            switch (helper(i) % 5) {
                case 0:
                    big += helper(i);
                    break;
                case 3:
                    x += Math.sqrt(helper(i));
                    break;
                default:
                    f += helper(i);
            }
            i++;
        }
        return big + x + f;
    }

    /** Lambdas and a collection built by calls. */
    public static int lambdas(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(helper(i));
        }
        int[] sum = new int[1];
        list.forEach(v -> sum[0] += helper(v));
        Runnable r = () -> sum[0] += helper(1);
        r.run();
        return sum[0];
    }
}
