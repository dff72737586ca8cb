package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Anonymous classes, local classes (capturing locals) and inner classes (with an outer instance) on the chain and as values. */
public final class P24_AnonLocalClasses {
    interface Task {
        int run(int x);
    }

    abstract static class Base {
        final String tag;

        Base(String tag) {
            this.tag = tag;
        }

        abstract int go(int x);
    }

    private int outerState = 100;

    final class Inner {
        int hits;

        int poke(int x) {
            hits++;
            outerState += x;
            Ck.log("inner poke " + x + " outer=" + outerState);
            Ck.point("P24 inner " + x);
            return outerState + hits;
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        P24_AnonLocalClasses outer = new P24_AnonLocalClasses();
        Inner inner = outer.new Inner();
        int[] box = {0};
        String prefix = "pfx";
        Task anon = new Task() {
            int calls;

            @Override
            public int run(int x) {
                calls++;
                box[0] += x;
                Ck.log("anon run " + x + " calls=" + calls);
                Ck.point("P24 anon " + x);
                Ck.log("anon resumed " + x + " box=" + box[0] + " prefix=" + prefix);
                return x * 2 + calls;
            }
        };
        Base anonBase = new Base("ab") {
            @Override
            int go(int x) {
                Ck.log("anonBase go " + x + " tag=" + tag);
                Ck.point("P24 anonBase " + x);
                return x + tag.length();
            }
        };
        class Local implements Task {
            final int offset;

            Local(int offset) {
                this.offset = offset;
            }

            @Override
            public int run(int x) {
                Ck.log("local run " + x + " offset=" + offset + " prefix=" + prefix);
                Ck.point("P24 local " + x);
                return x + offset + box[0];
            }
        }
        TreeSet<String> sorted = new TreeSet<>(new Comparator<String>() {
            @Override
            public int compare(String a, String b) {
                int c = Integer.compare(a.length(), b.length());
                return c != 0 ? c : b.compareTo(a);
            }
        });
        List<Task> tasks = new ArrayList<>();
        tasks.add(anon);
        tasks.add(new Local(7));
        long h = 0;
        for (int round = 0; round < 2 * w; round++) {
            for (Task t : tasks) {
                h = Ck.mix(h, t.run(round % 9 + 1));
            }
            h = Ck.mix(h, anonBase.go(round % 4));
            h = Ck.mix(h, inner.poke(round % 3));
            sorted.add("s" + round % 13 + "x".repeat(round % 3));
            if (sorted.size() > 6) {
                sorted.pollFirst();
            }
            Ck.log("round " + round + " sorted=" + sorted + " box=" + box[0]);
        }
        Ck.done("h=" + Long.toHexString(h) + " box=" + box[0] + " outer=" + outer.outerState + " hits=" + inner.hits
                + " sorted=" + sorted);
    }
}
