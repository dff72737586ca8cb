package dev.rewind.it.programs;

/** Recursion 1,000 deep with a checkpoint at the bottom and one halfway back up; results combined on the way up. */
@ProgramSpec(hotMethods = "P05_DeepRecursion::down", jvmArgs = "-Xss4m")
public final class P05_DeepRecursion {
    static final int DEPTH = 1000;
    static int bottoms;

    static long down(int depth, long seed, int round) {
        long mine = seed * 6364136223846793005L + depth;
        int small = (int) (mine >>> 58);
        if (depth == DEPTH) {
            bottoms++;
            Ck.log("bottom round " + round + " seed=" + Long.toHexString(seed));
            Ck.point("P05 bottom r" + round);
            Ck.log("bottom round " + round + " continues");
            return mine;
        }
        long below = down(depth + 1, mine ^ (mine >>> 29), round);
        long combined = below * 31 + small + depth;
        if (depth == DEPTH / 2) {
            Ck.log("halfway up round " + round + " combined=" + combined);
            Ck.point("P05 halfway r" + round);
            Ck.log("halfway up round " + round + " continues");
        }
        return combined;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long acc = 0;
        for (int round = 0; round < 3 * w; round++) {
            long r = down(0, round + 1, round);
            acc = Ck.mix(acc, r);
            Ck.log("round " + round + " result=" + Long.toHexString(r));
        }
        Ck.done("bottoms=" + bottoms + " acc=" + Long.toHexString(acc));
    }
}
