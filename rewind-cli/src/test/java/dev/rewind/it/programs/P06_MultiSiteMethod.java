package dev.rewind.it.programs;

/** Several checkpoint sites in one method, with different locals live at each site. */
@ProgramSpec(hotMethods = "P06_MultiSiteMethod::work")
public final class P06_MultiSiteMethod {
    static long work(int n) {
        long acc = n;
        String tag = "w" + n;
        Ck.log(tag + " site A acc=" + acc);
        Ck.point("P06 A " + n);
        int[] scratch = new int[4];
        for (int i = 0; i < 4; i++) {
            scratch[i] = (int) (acc * (i + 3) % 97);
        }
        if (n % 2 == 0) {
            double half = acc / 2.0;
            Ck.log(tag + " site B half=" + half);
            Ck.point("P06 B " + n);
            acc += (long) (half * 3);
        } else {
            char c = (char) ('A' + n % 26);
            Ck.log(tag + " site C c=" + c);
            Ck.point("P06 C " + n);
            acc += c;
        }
        switch (n % 3) {
            case 0:
                Ck.log(tag + " site D scratch0=" + scratch[0]);
                Ck.point("P06 D " + n);
                acc += scratch[0];
                break;
            case 1:
                acc -= scratch[1];
                break;
            default:
                acc ^= scratch[2];
        }
        long sum = 0;
        for (int v : scratch) {
            sum += v;
        }
        Ck.log(tag + " site E sum=" + sum);
        Ck.point("P06 E " + n);
        return acc * 3 + sum + tag.length();
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long total = 0;
        for (int n = 0; n < 3 * w; n++) {
            total = Ck.mix(total, work(n));
        }
        Ck.done("total=" + Long.toHexString(total));
    }
}
