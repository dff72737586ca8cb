package dev.rewind.examples;

import dev.rewind.Checkpoint;
import dev.rewind.Rewind;

/**
 * A small numeric simulation: heat diffusing along a rod. It checkpoints every 100 steps; kill it
 * at any time and `rewind resume` continues from the last checkpoint, in the same loop iteration,
 * with the same grid, and prints the same final checksum as an uninterrupted run.
 *
 * <pre>
 *   rewind run -- java -cp examples/target/classes dev.rewind.examples.HeatSimulation 1000
 *   (kill it)
 *   rewind resume
 * </pre>
 */
public final class HeatSimulation {
    private static long stepsDone; // a global, saved with the checkpoint like everything else

    private HeatSimulation() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int cells = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
        double[] rod = new double[cells];
        double[] next = new double[cells];
        rod[cells / 2] = 1_000_000.0; // a hot spot in the middle
        for (int step = 1; step <= steps; step++) {
            diffuse(rod, next);
            double[] t = rod;
            rod = next;
            next = t;
            stepsDone++;
            if (step % 100 == 0) {
                System.out.printf("step %d: centre %.6f, spread %.3f%n", step, rod[cells / 2], spread(rod));
                Checkpoint saved = Rewind.isActive() ? Rewind.checkpoint("step " + step) : null;
                if (saved == null && Rewind.isActive()) {
                    System.err.println("(resumed at step " + step + ")");
                }
            }
        }
        System.out.printf("done: %d steps, checksum %016x%n", stepsDone, checksum(rod));
    }

    private static void diffuse(double[] from, double[] to) {
        int n = from.length;
        for (int i = 1; i < n - 1; i++) {
            to[i] = from[i] + 0.25 * (from[i - 1] - 2 * from[i] + from[i + 1]);
        }
        to[0] = from[0];
        to[n - 1] = from[n - 1];
    }

    private static double spread(double[] rod) {
        double total = 0;
        double moment = 0;
        int centre = rod.length / 2;
        for (int i = 0; i < rod.length; i++) {
            total += rod[i];
            moment += rod[i] * (double) (i - centre) * (i - centre);
        }
        return Math.sqrt(moment / total);
    }

    /** A hash of every bit of the grid: any difference in any cell changes it. */
    private static long checksum(double[] rod) {
        long h = 0x9E3779B97F4A7C15L;
        for (double v : rod) {
            h = (h ^ Double.doubleToRawLongBits(v)) * 0x100000001B3L;
        }
        return h;
    }
}
