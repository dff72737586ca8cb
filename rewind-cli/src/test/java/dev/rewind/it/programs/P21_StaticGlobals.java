package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Static fields of several classes (and an interface): counters, arrays, a static final map and list mutated across checkpoints. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P21_StaticGlobals {
    static int counter;
    static long[] histogram = new long[5];
    static final Map<String, Integer> REGISTRY = new HashMap<>();
    static final StringBuilder JOURNAL = new StringBuilder();
    static String mode = "init";

    static final class Config {
        static double scale = 1.0;
        static final int[] TABLE = {3, 1, 4, 1, 5, 9, 2, 6};
        static final Map<String, List<String>> GROUPS = new TreeMap<>();
        static Config current;
        final String name;

        Config(String name) {
            this.name = name;
        }
    }

    interface Defaults {
        List<String> NAMES = new ArrayList<>(List.of("alpha", "beta"));
        int LIMIT = 6;
    }

    static final class Stats {
        private static long sum;
        private static int max = Integer.MIN_VALUE;
        static final long[][] PAIRS = new long[3][2];

        static void add(int v) {
            sum += v;
            max = Math.max(max, v);
            PAIRS[v % 3][v % 2] += v;
        }
    }

    static void tick(int round) {
        counter++;
        histogram[round % histogram.length] += round;
        REGISTRY.merge("r" + round % 4, round, Integer::sum);
        JOURNAL.append(round % 10);
        if (JOURNAL.length() > 30) {
            JOURNAL.delete(0, 10);
        }
        Config.scale *= 1.5;
        Config.TABLE[round % Config.TABLE.length] += round;
        Config.GROUPS.computeIfAbsent("g" + round % 3, k -> new ArrayList<>()).add("m" + round);
        if (Config.GROUPS.get("g" + round % 3).size() > 3) {
            Config.GROUPS.get("g" + round % 3).remove(0);
        }
        Config.current = new Config("c" + round);
        Defaults.NAMES.add("n" + round);
        if (Defaults.NAMES.size() > Defaults.LIMIT) {
            Defaults.NAMES.remove(2);
        }
        Stats.add(round * 7 % 11);
        mode = round % 2 == 0 ? "even" : "odd";
    }

    static String dump() {
        long hist = 0;
        for (long v : histogram) {
            hist = Ck.mix(hist, v);
        }
        StringBuilder t = new StringBuilder();
        for (int v : Config.TABLE) {
            t.append(v).append(',');
        }
        return "counter=" + counter + " hist=" + Long.toHexString(hist) + " registry=" + new TreeMap<>(REGISTRY)
                + " journal=" + JOURNAL + " scale=" + Config.scale + " table=" + t + " groups=" + Config.GROUPS
                + " current=" + Config.current.name + " names=" + Defaults.NAMES + " sum=" + Stats.sum + " max=" + Stats.max
                + " pairs=" + Stats.PAIRS[0][0] + "/" + Stats.PAIRS[1][1] + "/" + Stats.PAIRS[2][0] + " mode=" + mode;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        for (int round = 0; round < 6 * w; round++) {
            tick(round);
            Ck.log("round " + round + " " + dump());
            Ck.point("P21 round " + round);
            REGISTRY.put("after" + round % 2, round);
            Ck.log("after " + round + " registryKeys=" + REGISTRY.keySet());
        }
        Ck.done(dump());
    }
}
