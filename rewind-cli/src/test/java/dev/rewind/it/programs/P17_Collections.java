package dev.rewind.it.programs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ArrayList, LinkedList, HashMap (String keys), TreeMap, ArrayDeque, HashSet, LinkedHashMap,
 * PriorityQueue and TreeSet mutated across checkpoints. Hash-based ones are printed in iteration
 * order (the restored table must iterate like the original) and sorted.
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P17_Collections {
    public static void main(String[] args) {
        int w = Ck.work();
        List<String> array = new ArrayList<>();
        LinkedList<Integer> linked = new LinkedList<>();
        Map<String, Integer> hash = new HashMap<>();
        TreeMap<String, List<Integer>> tree = new TreeMap<>();
        ArrayDeque<String> deque = new ArrayDeque<>();
        Set<String> set = new HashSet<>();
        Map<String, String> lhm = new LinkedHashMap<>();
        PriorityQueue<Integer> pq = new PriorityQueue<>();
        TreeSet<String> ts = new TreeSet<>();
        long seed = 12345;
        for (int round = 0; round < 6 * w; round++) {
            for (int j = 0; j < 5; j++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                int v = (int) (seed >>> 40) % 1000;
                String key = "k" + (v % 23);
                array.add(key);
                linked.addFirst(v);
                hash.merge(key, 1, Integer::sum);
                tree.computeIfAbsent("t" + v % 7, k -> new ArrayList<>()).add(v);
                if (v % 2 == 0) {
                    deque.addFirst(key);
                } else {
                    deque.addLast(key);
                }
                set.add(key + "/" + v % 5);
                lhm.put("l" + v % 9, key);
                pq.add(v);
                ts.add(key);
            }
            // keep sizes bounded so the hot mode does not grow the heap
            while (array.size() > 12) {
                array.remove(0);
            }
            while (linked.size() > 10) {
                linked.removeLast();
            }
            while (deque.size() > 9) {
                deque.pollFirst();
            }
            while (pq.size() > 10) {
                pq.poll();
            }
            for (List<Integer> l : tree.values()) {
                while (l.size() > 4) {
                    l.remove(0);
                }
            }
            if (set.size() > 30) {
                set.removeIf(s -> s.endsWith("/0"));
            }
            Ck.log("round " + round + " array=" + array + " linked=" + linked);
            Ck.log("  hash=" + hash + " tree=" + tree);
            Ck.log("  deque=" + deque + " set=" + set + " lhm=" + lhm + " pq=" + pq + " ts=" + ts);
            Ck.point("P17 round " + round);
            hash.remove("k" + round % 23);
            linked.add(linked.size() / 2, -round);
            array.set(0, "first" + round);
            lhm.remove("l" + round % 9);
            lhm.put("l" + round % 9, "re" + round);
            Ck.log("after " + round + " hash=" + hash + " lhm=" + lhm + " linked=" + linked + " pqPeek=" + pq.peek()
                    + " contains=" + set.contains("k1/1") + "," + hash.containsKey("k3") + "," + ts.contains("k2"));
        }
        long h = 0;
        for (String s : array) {
            h = Ck.mix(h, s);
        }
        for (int v : linked) {
            h = Ck.mix(h, v);
        }
        for (Map.Entry<String, Integer> e : hash.entrySet()) {
            h = Ck.mix(Ck.mix(h, e.getKey()), e.getValue());
        }
        for (String s : set) {
            h = Ck.mix(h, s);
        }
        for (String s : deque) {
            h = Ck.mix(h, s);
        }
        while (!pq.isEmpty()) {
            h = Ck.mix(h, pq.poll());
        }
        Ck.done("h=" + Long.toHexString(h) + " sortedHash=" + new TreeMap<>(hash) + " sortedSet=" + new TreeSet<>(set)
                + " tree=" + tree + " lhm=" + lhm + " ts=" + ts);
    }
}
