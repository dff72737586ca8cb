package dev.rewind.it.programs;

/**
 * The hot case: a numeric simulation (coupled oscillators plus a PRNG) of a few hundred thousand
 * steps that checkpoints every 30,000 steps from inside the per-step method, which C2 compiles
 * long before the first checkpoint.
 */
@ProgramSpec(hotEvery = 1, hotWork = 2, hotMethods = "P29_HotSimulation::advance")
public final class P29_HotSimulation {
    static final int CELLS = 12;
    static final int INTERVAL = 30_000;
    static final double[] POS = new double[CELLS];
    static final double[] VEL = new double[CELLS];
    static long rng = 0x2545F4914F6CDD1DL;
    static long kicks;

    static double advance(int t, double energy) {
        double dt = 0.01;
        double e = 0;
        for (int j = 0; j < CELLS; j++) {
            double left = POS[(j + CELLS - 1) % CELLS];
            double right = POS[(j + 1) % CELLS];
            double acc = -0.5 * POS[j] + 0.25 * (left + right - 2 * POS[j]);
            VEL[j] += acc * dt;
            VEL[j] *= 0.99999;
        }
        for (int j = 0; j < CELLS; j++) {
            POS[j] += VEL[j] * dt;
            e += 0.5 * VEL[j] * VEL[j] + 0.25 * POS[j] * POS[j];
        }
        rng ^= rng << 13;
        rng ^= rng >>> 7;
        rng ^= rng << 17;
        if ((rng & 1023) == 0) {
            VEL[(int) ((rng >>> 32) % CELLS + CELLS) % CELLS] += 0.1;
            kicks++;
        }
        if ((t + 1) % INTERVAL == 0) {
            Ck.log("t=" + (t + 1) + " energy=" + e + " prev=" + energy + " kicks=" + kicks);
            Ck.point("P29 t=" + (t + 1));
            Ck.log("t=" + (t + 1) + " continues pos0=" + POS[0]);
        }
        return e;
    }

    public static void main(String[] args) {
        int steps = 300_000 * Ck.work();
        POS[0] = 1.0;
        POS[CELLS / 2] = -0.5;
        double energy = 0;
        for (int t = 0; t < steps; t++) {
            energy = advance(t, energy);
        }
        long h = 0;
        for (int j = 0; j < CELLS; j++) {
            h = Ck.mix(h, Double.doubleToLongBits(POS[j]));
            h = Ck.mix(h, Double.doubleToLongBits(VEL[j]));
        }
        Ck.done("energy=" + energy + " kicks=" + kicks + " h=" + Long.toHexString(h));
    }
}
