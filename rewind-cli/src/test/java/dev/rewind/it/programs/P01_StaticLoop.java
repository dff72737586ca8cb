package dev.rewind.it.programs;

/** Static methods and counted loops: main's loop calls a static method that checkpoints. */
@ProgramSpec(hotMethods = "P01_StaticLoop::step")
public final class P01_StaticLoop {
    static long total;

    public static void main(String[] args) {
        int w = Ck.work();
        long acc = 17;
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < w; i++) {
                acc = step(acc, round, i);
            }
            System.out.println("round " + round + " acc=" + acc + " total=" + total);
        }
        Ck.done("acc=" + acc + " total=" + total);
    }

    static long step(long acc, int round, int i) {
        long a = acc * 31 + round * 7L + i;
        a ^= a >>> 17;
        int low = (int) (a & 0xff);
        total += low;
        Ck.log("step " + round + "." + i + " before a=" + a + " low=" + low);
        Ck.point("P01 " + round + "." + i);
        a += low;
        Ck.log("step " + round + "." + i + " after a=" + a);
        return a;
    }
}
