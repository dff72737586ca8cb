package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Enhanced for over ArrayList and LinkedList iterators, a TreeMap entry set and an array, with the
 * checkpoint in the body; iterator.remove() and ListIterator.set() after a resume (the restored
 * iterator's cursor and expected modCount must match its list).
 */
public final class P26_EnhancedFor {
    public static void main(String[] args) {
        int w = Ck.work();
        List<String> array = new ArrayList<>(List.of("one", "two", "three"));
        LinkedList<Integer> linked = new LinkedList<>(List.of(5, 6, 7));
        TreeMap<String, Integer> tree = new TreeMap<>(Map.of("b", 2, "a", 1, "c", 3));
        int[] plain = {9, 8};
        long h = 0;
        int visits = 0;
        for (int rep = 0; rep < w; rep++) {
            for (String s : array) {
                visits++;
                Ck.log("array " + s + " before");
                Ck.point("P26 array " + s);
                Ck.log("array " + s + " after");
                h = Ck.mix(h, s);
            }
            for (Integer i : linked) {
                visits++;
                Ck.log("linked " + i + " before");
                Ck.point("P26 linked " + i);
                Ck.log("linked " + i + " after");
                h = Ck.mix(h, i);
            }
            for (Map.Entry<String, Integer> e : tree.entrySet()) {
                visits++;
                Ck.log("entry " + e.getKey() + " before");
                Ck.point("P26 entry " + e.getKey());
                e.setValue(e.getValue() + 1);
                Ck.log("entry " + e.getKey() + " after -> " + e.getValue());
            }
            for (int v : plain) {
                visits++;
                Ck.log("plain " + v);
                Ck.point("P26 plain " + v);
                h = Ck.mix(h, v);
            }
            Iterator<String> it = array.iterator();
            while (it.hasNext()) {
                String s = it.next();
                Ck.log("iter " + s);
                Ck.point("P26 iter " + s);
                if (s.length() == 5) {
                    it.remove();
                }
            }
            array.add("th" + "ree");
            ListIterator<Integer> li = linked.listIterator();
            while (li.hasNext()) {
                int v = li.next();
                if (v % 2 == 1) {
                    Ck.log("listIterator " + v);
                    Ck.point("P26 li " + v);
                    li.set(v + 2);
                    li.add(-v);
                }
            }
            while (linked.size() > 3) {
                linked.removeLast();
            }
            Ck.log("rep " + rep + " array=" + array + " linked=" + linked + " tree=" + tree);
        }
        Ck.done("visits=" + visits + " array=" + array + " linked=" + linked + " tree=" + tree + " h=" + Long.toHexString(h));
    }
}
