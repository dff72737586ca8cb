package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Boxed values of every kind in locals, fields and collections (values and equals, not identity), including nulls. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P16_Boxed {
    static Integer boxedStatic = 1000;
    static Double boxedD = -0.0;

    public static void main(String[] args) {
        int w = Ck.work();
        Integer i = 5;
        Long l = 1L << 40;
        Double d = Double.NaN;
        Float f = 1.25f;
        Character c = 'x';
        Boolean z = Boolean.FALSE;
        Short s = (short) -7;
        Byte b = (byte) 120;
        Integer nothing = null;
        List<Integer> ints = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        Object[] objs = {1, 2L, 3.0, 4.0f, '5', true, (short) 6, (byte) 7, null};
        for (int round = 0; round < 6 * w; round++) {
            Ck.log("round " + round + " i=" + i + " l=" + l + " d=" + d + " f=" + f + " c=" + c + " z=" + z
                    + " s=" + s + " b=" + b + " nothing=" + nothing + " static=" + boxedStatic + " boxedD=" + boxedD);
            Ck.point("P16 round " + round);
            i = i * 3 + round;
            l = l + i;
            d = round % 2 == 0 ? Double.valueOf(round / 3.0) : d;
            f = f * -2;
            c = (char) (c + 1);
            z = !z;
            s = (short) (s * 2);
            b = (byte) (b + 10);
            boxedStatic += round;
            boxedD = boxedD * 2;
            ints.add(i % 1000);
            if (ints.size() > 8) {
                ints.remove(Integer.valueOf(ints.get(0)));
            }
            counts.merge("k" + round % 3, (long) round, Long::sum);
            objs[round % objs.length] = round % 2 == 0 ? (Object) (long) round : (Object) ("s" + round);
            Ck.log("after " + round + " ints=" + ints + " counts=" + counts + " eq=" + i.equals(Integer.valueOf(i.intValue()))
                    + " objs0=" + objs[0]);
        }
        long h = 0;
        for (Object o : objs) {
            h = Ck.mix(h, String.valueOf(o));
        }
        Ck.done("i=" + i + " l=" + l + " d=" + d + " f=" + f + " c=" + c + " z=" + z + " s=" + s + " b=" + b
                + " ints=" + ints + " counts=" + counts + " objs=" + Long.toHexString(h) + " static=" + boxedStatic
                + " boxedD=" + boxedD);
    }
}
