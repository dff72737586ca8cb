package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedList;
import java.util.List;
import java.util.TreeMap;

/**
 * Checkpoints inside comparators while the JDK is sorting (ArrayList.sort -> TimSort,
 * Collections.sort on a LinkedList) and while TreeMap.put is comparing: JDK frames with their
 * locals on the chain.
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P39_SortComparator {
    static int comparisons;

    static int counted(String a, String b, String where) {
        comparisons++;
        if (comparisons % 40 == 0) {
            Ck.log(where + " comparison " + comparisons + " " + a + " vs " + b);
            Ck.point("P39 " + where + " " + comparisons);
            Ck.log(where + " resumed " + comparisons);
        }
        return a.compareTo(b);
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long seed = 99;
        long h = 0;
        for (int rep = 0; rep < w; rep++) {
            List<String> items = new ArrayList<>();
            LinkedList<String> linked = new LinkedList<>();
            for (int i = 0; i < 40; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                String s = Long.toString((seed >>> 33) % 100000, 36);
                items.add(s);
                linked.add(s + i % 3);
            }
            items.sort((a, b) -> counted(a, b, "timsort"));
            Collections.sort(linked, new Comparator<String>() {
                @Override
                public int compare(String a, String b) {
                    return counted(b, a, "linked");
                }
            });
            TreeMap<String, Integer> tm = new TreeMap<>((a, b) -> counted(a, b, "treemap"));
            for (int i = 0; i < 20; i++) {
                tm.put(items.get((i * 7) % items.size()), i);
            }
            Ck.log("rep " + rep + " sorted=" + items + " linked=" + linked + " tm=" + tm.keySet());
            h = Ck.mix(h, String.join(",", items));
            h = Ck.mix(h, String.join(",", linked));
            h = Ck.mix(h, tm.toString());
        }
        Ck.done("comparisons=" + comparisons + " h=" + Long.toHexString(h));
    }
}
