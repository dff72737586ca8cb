package dev.rewind.it.programs;

/**
 * Mixed-type operand stacks under a checkpointing call: {@code double d = s + g()}, string
 * concatenation {@code "a" + i + h()}, an argument list {@code m(1, 2L, 3.0, helper())}, a
 * float/short/char/byte expression, an instance field compound assignment and a switch expression.
 */
@ProgramSpec(hotMethods = "P12_OperandStackMixed::hi")
public final class P12_OperandStackMixed {
    long field = 5;
    static String last = "";

    static double g() {
        Ck.log("g before");
        Ck.point("P12 g");
        Ck.log("g after");
        return 0.25;
    }

    static String h(int i) {
        Ck.log("h(" + i + ") before");
        Ck.point("P12 h " + i);
        Ck.log("h(" + i + ") after");
        return "<" + i + ">";
    }

    static int hi(int i) {
        Ck.log("hi(" + i + ") before");
        Ck.point("P12 hi " + i);
        Ck.log("hi(" + i + ") after");
        return i + 1;
    }

    static String m(int a, long b, double c, int d) {
        return "m(" + a + "," + b + "," + c + "," + d + ")";
    }

    static String m2(String s, char c, float f, short sh, byte by, boolean z, Object o, int last) {
        return "m2(" + s + "," + c + "," + f + "," + sh + "," + by + "," + z + "," + o + "," + last + ")";
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long h = 0;
        P12_OperandStackMixed self = new P12_OperandStackMixed();
        for (int rep = 0; rep < w; rep++) {
            double s = 1.5 + rep;
            double d = s + g();
            int i = 7 + rep % 3;
            String t = "a" + i + h(i);
            String u = "x" + d + "|" + h(i + 1) + "|" + i + "|" + (char) ('a' + rep % 26);
            String v = m(1, 2L, 3.0, hi(i));
            String v2 = m2("s" + rep, 'q', 2.5f, (short) -3, (byte) 9, true, Integer.valueOf(11), hi(40));
            float fl = 1.5f * (float) hi(2);
            short sh = (short) (Short.MAX_VALUE + hi(3));
            char ch = (char) ('A' + hi(4));
            byte by = (byte) (127 + hi(5));
            self.field += hi(6);
            int sw = switch (i % 3) {
                case 0 -> hi(10) * 2;
                case 1 -> 100 + hi(11);
                default -> {
                    int tmp = hi(12);
                    yield tmp - 1;
                }
            };
            last = t + u + v + v2;
            Ck.log("rep " + rep + " d=" + d + " t=" + t + " u=" + u + " v=" + v + " v2=" + v2 + " fl=" + fl
                    + " sh=" + sh + " ch=" + ch + " by=" + by + " field=" + self.field + " sw=" + sw);
            h = Ck.mix(h, last);
            h = Ck.mix(h, Double.doubleToLongBits(d) ^ Float.floatToIntBits(fl) ^ sh ^ ch ^ by ^ self.field ^ sw);
        }
        Ck.done("h=" + Long.toHexString(h) + " last=" + last);
    }
}
