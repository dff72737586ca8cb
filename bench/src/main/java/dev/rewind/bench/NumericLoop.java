package dev.rewind.bench;

/**
 * Double arithmetic: the n-body simulation (five bodies, symplectic integrator) from the
 * benchmarks game, plus a polynomial/logistic-map kernel over a double[] array. No allocation in
 * the hot loops.
 */
public final class NumericLoop {
    private static final double PI = 3.141592653589793;
    private static final double SOLAR_MASS = 4 * PI * PI;
    private static final double DAYS_PER_YEAR = 365.24;

    private NumericLoop() {
    }

    public static void main(String[] args) {
        int steps = Report.intArg(args, 0, 12_000_000);
        Report.print("numeric", Report.time(steps / 20, steps, NumericLoop::work));
    }

    static long work(int steps) {
        double[][] b = bodies();
        double e0 = energy(b);
        for (int i = 0; i < steps; i++) {
            advance(b, 0.01);
        }
        double e1 = energy(b);
        double[] xs = new double[4096];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (i + 0.5) / xs.length;
        }
        double acc = 0;
        for (int round = 0; round < steps / 400; round++) {
            for (int i = 0; i < xs.length; i++) {
                double x = xs[i];
                x = 3.7 * x * (1 - x); // logistic map stays in (0,1)
                xs[i] = x;
                acc += ((0.3 * x - 1.1) * x + 2.7) * x - 0.5;
            }
        }
        return Double.doubleToLongBits(e0) ^ Double.doubleToLongBits(e1) * 31 ^ Double.doubleToLongBits(acc);
    }

    /** Each body: x, y, z, vx, vy, vz, mass. */
    private static double[][] bodies() {
        double[][] b = {
            {0, 0, 0, 0, 0, 0, SOLAR_MASS},
            {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
                1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
                -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
            {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
                -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
                2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
            {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
                2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
                -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
            {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
                2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
                -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
        };
        double px = 0, py = 0, pz = 0;
        for (double[] x : b) {
            px += x[3] * x[6];
            py += x[4] * x[6];
            pz += x[5] * x[6];
        }
        b[0][3] = -px / SOLAR_MASS;
        b[0][4] = -py / SOLAR_MASS;
        b[0][5] = -pz / SOLAR_MASS;
        return b;
    }

    private static void advance(double[][] b, double dt) {
        int n = b.length;
        for (int i = 0; i < n; i++) {
            double[] bi = b[i];
            for (int j = i + 1; j < n; j++) {
                double[] bj = b[j];
                double dx = bi[0] - bj[0];
                double dy = bi[1] - bj[1];
                double dz = bi[2] - bj[2];
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = dt / (d2 * Math.sqrt(d2));
                bi[3] -= dx * bj[6] * mag;
                bi[4] -= dy * bj[6] * mag;
                bi[5] -= dz * bj[6] * mag;
                bj[3] += dx * bi[6] * mag;
                bj[4] += dy * bi[6] * mag;
                bj[5] += dz * bi[6] * mag;
            }
        }
        for (double[] bi : b) {
            bi[0] += dt * bi[3];
            bi[1] += dt * bi[4];
            bi[2] += dt * bi[5];
        }
    }

    private static double energy(double[][] b) {
        double e = 0;
        for (int i = 0; i < b.length; i++) {
            double[] bi = b[i];
            e += 0.5 * bi[6] * (bi[3] * bi[3] + bi[4] * bi[4] + bi[5] * bi[5]);
            for (int j = i + 1; j < b.length; j++) {
                double[] bj = b[j];
                double dx = bi[0] - bj[0];
                double dy = bi[1] - bj[1];
                double dz = bi[2] - bj[2];
                e -= bi[6] * bj[6] / Math.sqrt(dx * dx + dy * dy + dz * dz);
            }
        }
        return e;
    }
}
