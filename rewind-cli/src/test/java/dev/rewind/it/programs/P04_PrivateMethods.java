package dev.rewind.it.programs;

/** Private static and private instance methods (and a nestmate's private method) on the chain. */
public final class P04_PrivateMethods {
    private int state = 3;
    private final StringBuilder trail = new StringBuilder();

    private int advance(int x) {
        int local = x * 2 + state;
        state = squash(local);
        Helper.poke(this, x);
        return local + state;
    }

    private static int squash(int v) {
        int s = (v * 7919) % 1009;
        return s < 0 ? -s : s;
    }

    private void mark(int x) {
        trail.append((char) ('a' + x % 26));
        Ck.log("mark " + x + " state=" + state + " trail=" + trail);
        Ck.point("P04 mark " + x);
        Ck.log("marked " + x + " trail length=" + trail.length());
    }

    static final class Helper {
        private static int pokes;

        private static void poke(P04_PrivateMethods p, int x) {
            pokes++;
            p.mark(x);
        }
    }

    private long runAll(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += advance(i);
        }
        return sum;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        P04_PrivateMethods p = new P04_PrivateMethods();
        long total = 0;
        for (int rep = 0; rep < w; rep++) {
            total += p.runAll(8);
            if (p.trail.length() > 64) {
                p.trail.setLength(16);
            }
        }
        Ck.done("total=" + total + " state=" + p.state + " pokes=" + Helper.pokes + " trail=" + p.trail);
    }
}
