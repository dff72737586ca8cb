package dev.rewind.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Collection churn: an ArrayList of boxed longs grown, sorted and trimmed; a HashMap of String
 * keys to small lists, filled and emptied; an ArrayDeque used as a sliding window.
 */
public final class CollectionsChurn {
    private CollectionsChurn() {
    }

    public static void main(String[] args) {
        int rounds = Report.intArg(args, 0, 500);
        Report.print("collections", Report.time(rounds / 10, rounds, CollectionsChurn::work));
    }

    static long work(int rounds) {
        long h = 0;
        long seed = 42;
        for (int r = 0; r < rounds; r++) {
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                list.add(seed >>> 40);
            }
            Collections.sort(list);
            for (Iterator<Long> it = list.iterator(); it.hasNext();) {
                if ((it.next() & 3) == 0) {
                    it.remove();
                }
            }
            h = h * 31 + list.size() + list.get(list.size() / 2);

            Map<String, List<Integer>> map = new HashMap<>();
            for (int i = 0; i < 10_000; i++) {
                String key = "k" + (i % 997);
                map.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
            for (Map.Entry<String, List<Integer>> e : map.entrySet()) {
                h += e.getKey().hashCode() * (long) e.getValue().size();
            }
            map.keySet().removeIf(k -> k.hashCode() % 3 == 0);
            h = h * 31 + map.size();

            ArrayDeque<Integer> window = new ArrayDeque<>();
            long ws = 0;
            for (int i = 0; i < 20_000; i++) {
                window.addLast(i);
                ws += i;
                if (window.size() > 64) {
                    ws -= window.removeFirst();
                }
            }
            h = h * 31 + ws;
        }
        return h;
    }
}
