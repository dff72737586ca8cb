package dev.rewind.it.programs;

/** Every primitive type in locals and parameters, including NaN payloads, -0.0, infinities and extremes. */
@ProgramSpec(hotMethods = "P09_PrimitiveLocals::mix")
public final class P09_PrimitiveLocals {
    static String show(boolean z, byte b, char c, short s, int i, long l, float f, double d) {
        return "z=" + z + " b=" + b + " c=" + (int) c + " s=" + s + " i=" + i + " l=" + l
                + " f=" + f + "/" + Integer.toHexString(Float.floatToRawIntBits(f))
                + " d=" + d + "/" + Long.toHexString(Double.doubleToRawLongBits(d));
    }

    /** Parameters of every type, live across the checkpoint (two-slot ones interleaved with one-slot ones). */
    static long mix(boolean z, long l, byte b, double d, char c, float f, short s, int i, int round) {
        String before = show(z, b, c, s, i, l, f, d);
        Ck.log("mix " + round + " in  " + before);
        Ck.point("P09 mix " + round);
        String after = show(z, b, c, s, i, l, f, d);
        Ck.log("mix " + round + " out " + (before.equals(after) ? "same" : "CHANGED " + after));
        long h = Ck.mix(z ? 1 : 0, l);
        h = Ck.mix(h, b);
        h = Ck.mix(h, Double.doubleToRawLongBits(d));
        h = Ck.mix(h, c);
        h = Ck.mix(h, Float.floatToRawIntBits(f));
        h = Ck.mix(h, s);
        return Ck.mix(h, i);
    }

    public static void main(String[] args) {
        int w = Ck.work();
        boolean z = true;
        byte b = Byte.MIN_VALUE;
        char c = '\uFFFF';
        short s = Short.MIN_VALUE;
        int i = Integer.MIN_VALUE;
        long l = Long.MIN_VALUE;
        float f = Float.intBitsToFloat(0x7fc00123); // a quiet NaN with a payload
        double d = -0.0;
        float fInf = Float.NEGATIVE_INFINITY;
        double dNaN = Double.longBitsToDouble(0x7ff8000000000123L);
        double dMin = Double.MIN_VALUE;
        float fMinNormal = Float.MIN_NORMAL;
        double dMax = Double.MAX_VALUE;
        long lMax = Long.MAX_VALUE;
        char c0 = 0;
        byte bMax = Byte.MAX_VALUE;
        float fNegZero = -0.0f;
        double dInf = Double.POSITIVE_INFINITY;
        long h = 0;
        for (int round = 0; round < 4 * w; round++) {
            Ck.log("round " + round + " " + show(z, b, c, s, i, l, f, d));
            Ck.log("extras fInf=" + fInf + " dNaN=" + Long.toHexString(Double.doubleToRawLongBits(dNaN))
                    + " dMin=" + dMin + " fMinNormal=" + fMinNormal + " dMax=" + dMax + " lMax=" + lMax
                    + " c0=" + (int) c0 + " bMax=" + bMax + " fNegZero=" + Float.floatToRawIntBits(fNegZero)
                    + " 1/fNegZero=" + (1 / fNegZero) + " dInf=" + dInf + " 1/d=" + (1 / d));
            Ck.point("P09 main " + round);
            h = Ck.mix(h, mix(z, l, b, d, c, f, s, i, round));
            Ck.log("after round " + round + " h=" + Long.toHexString(h));
            // mutate everything (wrapping, sign flips, NaN arithmetic)
            z = !z;
            b++;
            c--;
            s -= 3;
            i -= 1;
            l ^= 0x0123456789ABCDEFL;
            f = (round % 2 == 0) ? f * 2 : -f;
            d = (round % 2 == 0) ? -d : d - 1e-308;
            fInf = -fInf;
            dNaN = dNaN + 1;
            dMin *= 2;
            fMinNormal /= 2;
            dMax = -dMax;
            lMax += round;
            c0 += 7;
            bMax += 100;
            fNegZero = -fNegZero;
            dInf = dInf - dInf;
            h = Ck.mix(h, Double.doubleToRawLongBits(dNaN) ^ Float.floatToRawIntBits(fMinNormal)
                    ^ Double.doubleToRawLongBits(dMin) ^ Double.doubleToRawLongBits(dMax) ^ lMax ^ c0 ^ bMax
                    ^ Float.floatToRawIntBits(fNegZero) ^ Double.doubleToRawLongBits(dInf)
                    ^ Float.floatToRawIntBits(fInf));
        }
        Ck.done("final " + show(z, b, c, s, i, l, f, d) + " h=" + Long.toHexString(h));
    }
}
