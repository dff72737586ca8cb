package dev.rewind.it.programs;

import java.util.Arrays;

/** Arrays of every primitive type (plus a 2D long array), mutated across checkpoints; NaN payloads and -0.0 in float/double arrays. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P10_PrimitiveArrays {
    static boolean[] zs = {true, false, true};
    static byte[] bs = {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE};
    static char[] cs = {'\u0000', 'A', '\u00e9', '\u4e2d', '\uFFFF'};

    static long digest(boolean[] z, byte[] b, char[] c, short[] s, int[] i, long[] l, float[] f, double[] d, long[][] ll) {
        long h = 0;
        for (boolean v : z) {
            h = Ck.mix(h, v ? 1 : 2);
        }
        for (byte v : b) {
            h = Ck.mix(h, v);
        }
        for (char v : c) {
            h = Ck.mix(h, v);
        }
        for (short v : s) {
            h = Ck.mix(h, v);
        }
        for (int v : i) {
            h = Ck.mix(h, v);
        }
        for (long v : l) {
            h = Ck.mix(h, v);
        }
        for (float v : f) {
            h = Ck.mix(h, Float.floatToRawIntBits(v));
        }
        for (double v : d) {
            h = Ck.mix(h, Double.doubleToRawLongBits(v));
        }
        for (long[] row : ll) {
            h = Ck.mix(h, row.length);
            for (long v : row) {
                h = Ck.mix(h, v);
            }
        }
        return h;
    }

    static String floats(float[] f) {
        StringBuilder sb = new StringBuilder();
        for (float v : f) {
            sb.append(v).append('/').append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
        }
        return sb.toString();
    }

    static String doubles(double[] d) {
        StringBuilder sb = new StringBuilder();
        for (double v : d) {
            sb.append(v).append('/').append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        int w = Ck.work();
        short[] ss = {Short.MIN_VALUE, -2, 0, 3, Short.MAX_VALUE};
        int[] is = {Integer.MIN_VALUE, -1, 0, 42, Integer.MAX_VALUE};
        long[] ls = {Long.MIN_VALUE, -1L, 0L, 1L << 40, Long.MAX_VALUE};
        float[] fs = {Float.intBitsToFloat(0x7fc00123), -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        double[] ds = {Double.longBitsToDouble(0x7ff8000000000123L), -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY};
        long[][] grid = {{1, 2, 3}, {}, {Long.MIN_VALUE}, {4, 5}};
        int[] empty = new int[0];
        for (int round = 0; round < 5 * w; round++) {
            int k = round % 5;
            Ck.log("round " + round + " zs=" + Arrays.toString(zs) + " bs=" + Arrays.toString(bs)
                    + " cs=" + Arrays.toString(new int[] {cs[0], cs[1], cs[2], cs[3], cs[4]})
                    + " ss=" + Arrays.toString(ss) + " is=" + Arrays.toString(is) + " ls=" + Arrays.toString(ls));
            Ck.log("  fs=" + floats(fs) + " ds=" + doubles(ds) + " grid=" + Arrays.deepToString(grid) + " empty=" + empty.length);
            Ck.point("P10 round " + round);
            zs[k % 3] = !zs[k % 3];
            bs[k]++;
            cs[k] += 3;
            ss[k] -= 5;
            is[k] = is[k] * 3 + 1;
            ls[k] = Long.rotateLeft(ls[k], 7) ^ round;
            fs[k] = fs[k] * -1.5f;
            ds[k] = ds[k] / -3.0;
            grid[round % grid.length] = Arrays.copyOf(grid[round % grid.length], grid[round % grid.length].length + 1);
            grid[round % grid.length][0] += round;
            if (grid[round % grid.length].length > 6) {
                grid[round % grid.length] = new long[] {round};
            }
            Ck.log("mutated " + round + " digest=" + Long.toHexString(digest(zs, bs, cs, ss, is, ls, fs, ds, grid)));
        }
        Ck.done("digest=" + Long.toHexString(digest(zs, bs, cs, ss, is, ls, fs, ds, grid))
                + " fs=" + floats(fs) + " ds=" + doubles(ds));
    }
}
