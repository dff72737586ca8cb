package dev.rewind.it.programs;

/**
 * Values on the callers' operand stacks while the callee checkpoints: {@code acc += 10 + helper(i)},
 * {@code long x = a * f(b)}, array reference and index under a call, compound assignment to an
 * array element ({@code la[i] += f(i)}), conditional operands.
 */
@ProgramSpec(hotMethods = "P11_OperandStackInt::helper")
public final class P11_OperandStackInt {
    static int calls;

    static int helper(int i) {
        int r = i * 3 + 1;
        calls++;
        Ck.log("helper(" + i + ") before");
        Ck.point("P11 helper " + i);
        Ck.log("helper(" + i + ") after -> " + r);
        return r;
    }

    static long f(long b) {
        long r = b * b + 5;
        Ck.log("f(" + b + ") before");
        Ck.point("P11 f " + b);
        Ck.log("f(" + b + ") after -> " + r);
        return r;
    }

    static int idx(int i) {
        return i & 3;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long grand = 0;
        for (int rep = 0; rep < w; rep++) {
            int acc = 0;
            for (int i = 0; i < 3; i++) {
                acc += 10 + helper(i);
            }
            Ck.log("acc=" + acc);
            long a = 7_000_000_000L + rep;
            long x = a * f(3);
            Ck.log("x=" + x);
            int[] arr = new int[4];
            arr[acc & 3] = helper(99);
            long[] la = {1, 2, 3, 4};
            la[idx(rep + 1)] += f(2);
            int y = (acc > 5 ? 100 : 200) + helper(5) * 2;
            long z = x - (helper(2) + f(4)) + (long) acc * 1000;
            grand += acc + x + arr[acc & 3] + la[0] + la[1] + la[2] + la[3] + y + z;
            Ck.log("rep " + rep + " y=" + y + " z=" + z + " arr=" + arr[acc & 3] + " la1=" + la[1] + " grand=" + grand);
        }
        Ck.done("grand=" + grand + " calls=" + calls);
    }
}
