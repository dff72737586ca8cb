package dev.rewind.it.programs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoints inside the lambda of ArrayList.forEach, Iterable.forEach (default method, custom
 * Iterable), LinkedHashMap.forEach, TreeMap.forEach and ArrayDeque.forEach: a resume must go on
 * at the same element, so every element is printed exactly once overall.
 */
public final class P25_ForEachLambda {
    static int visited;

    static final class Countdown implements Iterable<Integer> {
        final int from;

        Countdown(int from) {
            this.from = from;
        }

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                int next = from;

                @Override
                public boolean hasNext() {
                    return next > 0;
                }

                @Override
                public Integer next() {
                    return next--;
                }
            };
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        List<String> list = new ArrayList<>(List.of("a", "b", "c", "d"));
        Map<String, Integer> lhm = new LinkedHashMap<>();
        lhm.put("zeta", 1);
        lhm.put("alpha", 2);
        lhm.put("mid", 3);
        Map<Integer, String> tree = new TreeMap<>();
        tree.put(30, "thirty");
        tree.put(10, "ten");
        tree.put(20, "twenty");
        ArrayDeque<Character> deque = new ArrayDeque<>(List.of('x', 'y', 'z'));
        long[] sum = {0};
        for (int rep = 0; rep < w; rep++) {
            int r = rep;
            list.forEach(s -> {
                visited++;
                Ck.log("list element " + s + " rep " + r + " before");
                Ck.point("P25 list " + s);
                Ck.log("list element " + s + " after");
                sum[0] += s.charAt(0);
            });
            new Countdown(3).forEach(i -> {
                visited++;
                Ck.log("countdown " + i + " before");
                Ck.point("P25 countdown " + i);
                Ck.log("countdown " + i + " after");
                sum[0] += i;
            });
            lhm.forEach((k, v) -> {
                visited++;
                Ck.log("lhm " + k + "=" + v + " before");
                Ck.point("P25 lhm " + k);
                Ck.log("lhm " + k + " after");
                sum[0] += k.length() * v;
            });
            tree.forEach((k, v) -> {
                visited++;
                Ck.log("tree " + k + "=" + v + " before");
                Ck.point("P25 tree " + k);
                Ck.log("tree " + k + " after");
                sum[0] += k;
            });
            deque.forEach(c -> {
                visited++;
                Ck.log("deque " + c);
                Ck.point("P25 deque " + c);
                sum[0] += c;
            });
        }
        Ck.done("visited=" + visited + " sum=" + sum[0]);
    }
}
