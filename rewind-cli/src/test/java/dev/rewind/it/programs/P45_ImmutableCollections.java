package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Immutable collections and views across a resume: Set.of/Map.of (whose probe order depends on a
 * per-JVM random SALT, so a byte-for-byte copy breaks lookups in the new JVM), List.of,
 * unmodifiable and synchronized wrappers, Arrays.asList, subList and keySet views. Only lookups and
 * sorted contents are printed, never Set.of/Map.of iteration order.
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P45_ImmutableCollections {
    static final Set<String> COLORS = Set.of("red", "green", "blue", "cyan", "magenta", "yellow", "black");
    static final Map<String, Integer> NUMBERS = Map.of("one", 1, "two", 2, "three", 3, "four", 4, "five", 5, "six", 6);

    public static void main(String[] args) {
        int w = Ck.work();
        List<Integer> listOf = List.of(3, 1, 4, 1, 5);
        Set<Integer> smallSet = Set.of(7, 8);
        Map<String, String> mapOfEntries = Map.ofEntries(Map.entry("k1", "v1"), Map.entry("k2", "v2"), Map.entry("k3", "v3"));
        Map<String, Integer> backing = new HashMap<>(Map.of("a", 1, "b", 2));
        Map<String, Integer> unmodifiable = Collections.unmodifiableMap(backing);
        List<String> synced = Collections.synchronizedList(new ArrayList<>(List.of("s1", "s2")));
        List<String> asList = Arrays.asList("x", "y", "z");
        List<Integer> base = new ArrayList<>(List.of(10, 11, 12, 13, 14, 15));
        List<Integer> sub = base.subList(1, 4);
        Set<String> keys = backing.keySet();
        long h = 0;
        for (int round = 0; round < 5 * w; round++) {
            Ck.log("round " + round + " sortedColors=" + new TreeSet<>(COLORS) + " sortedNumbers=" + new TreeMap<>(NUMBERS));
            Ck.point("P45 round " + round);
            String color = new String[] {"red", "blue", "black", "pink"}[round % 4];
            String number = new String[] {"one", "six", "ten", "three"}[round % 4];
            boolean hasColor = COLORS.contains(color);
            Integer num = NUMBERS.get(number);
            backing.put("r" + round % 3, round);
            sub.set(round % 3, round);
            synced.add("s" + round);
            if (synced.size() > 5) {
                synced.remove(2);
            }
            asList.set(round % 3, "e" + round);
            Ck.log("after " + round + " contains(" + color + ")=" + hasColor + " get(" + number + ")=" + num
                    + " smallSet7=" + smallSet.contains(7) + " k2=" + mapOfEntries.get("k2") + " listOf=" + listOf
                    + " unmodifiable=" + new TreeMap<>(unmodifiable) + " keys=" + new TreeSet<>(keys) + " sub=" + sub
                    + " base=" + base + " synced=" + synced + " asList=" + asList + " colorsSize=" + COLORS.size()
                    + " numbersSize=" + NUMBERS.size());
            h = Ck.mix(h, (hasColor ? 1 : 0) + (num == null ? 0 : num) * 10);
        }
        Ck.done("h=" + Long.toHexString(h) + " base=" + base + " keys=" + new TreeSet<>(keys) + " all colors found="
                + COLORS.containsAll(List.of("red", "green", "blue", "cyan", "magenta", "yellow", "black"))
                + " all numbers found=" + NUMBERS.keySet().containsAll(List.of("one", "two", "three", "four", "five", "six")));
    }
}
