package dev.rewind.it.programs;

/** Three nested loops (with labeled continue/break) and the checkpoint in the innermost loop. */
@ProgramSpec(hotMethods = "P08_NestedLoops::sweep")
public final class P08_NestedLoops {
    static final int[][] GRID = new int[4][5];

    static long sweep(int rep) {
        long acc = rep;
        outer:
        for (int i = 0; i < 4; i++) {
            middle:
            for (int j = 0; j < 5; j++) {
                for (int k = 0; k < 3; k++) {
                    if ((i + j + k) % 7 == 6) {
                        continue middle;
                    }
                    if (i == 3 && j == 4) {
                        break outer;
                    }
                    GRID[i][j] += i * j + k + 1;
                    acc = acc * 3 + GRID[i][j];
                    if (k == 1 && (i * 5 + j) % 4 == 0) {
                        Ck.log("inner " + rep + " i=" + i + " j=" + j + " k=" + k + " acc=" + acc);
                        Ck.point("P08 " + rep + ":" + i + "," + j + "," + k);
                        Ck.log("inner resumed " + i + "," + j + "," + k);
                    }
                }
            }
        }
        return acc;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long h = 0;
        for (int rep = 0; rep < w; rep++) {
            h = Ck.mix(h, sweep(rep));
        }
        StringBuilder sb = new StringBuilder();
        for (int[] row : GRID) {
            for (int v : row) {
                sb.append(v).append(' ');
            }
            sb.append('/');
        }
        System.out.println("grid " + sb);
        Ck.done("h=" + Long.toHexString(h));
    }
}
