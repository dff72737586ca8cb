package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;

/**
 * One object reachable from two frames' locals, a static field and a collection: after each
 * checkpoint it is mutated through one path and read through the others (identity must survive).
 */
public final class P19_SharedReferences {
    static final class Box {
        int value;
        String note = "";

        Box(int value) {
            this.value = value;
        }
    }

    static Box global;
    static int[] sharedArray;
    static final List<Box> REGISTRY = new ArrayList<>();

    static int callee(Box p, Box q, int[] arr, String s1, String s2, int round) {
        Ck.log("callee " + round + " p=" + p.value + " q=" + q.value + " same=" + (p == q));
        Ck.point("P19 callee " + round);
        p.value += 10;
        q.note = q.note + "q" + round;
        if (q.note.length() > 24) {
            q.note = q.note.substring(q.note.length() - 12);
        }
        arr[round % arr.length] += 100;
        Ck.log("callee " + round + " after: q.value=" + q.value + " p.note=" + p.note + " global=" + global.value
                + " registry0=" + REGISTRY.get(0).value + " same=" + (p == q) + " isGlobal=" + (p == global)
                + " sharedArray=" + sharedArray[round % arr.length] + " arrSame=" + (arr == sharedArray)
                + " strSame=" + (s1 == s2));
        return p.value;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Box b = new Box(1);
        Box other = new Box(50);
        global = b;
        REGISTRY.add(b);
        REGISTRY.add(other);
        REGISTRY.add(b);
        int[] arr = {1, 2, 3};
        sharedArray = arr;
        String s = new String("shared-" + w);
        String alias = s;
        long sum = 0;
        for (int round = 0; round < 5 * w; round++) {
            sum += callee(b, b, arr, s, alias, round);
            Ck.log("main " + round + " b=" + b.value + " via registry2=" + REGISTRY.get(2).value + " note=" + global.note);
            Ck.point("P19 main " + round);
            global.value -= 3;
            REGISTRY.get(2).note = "r" + round;
            Ck.log("main " + round + " after: b=" + b.value + " note=" + b.note + " registrySame="
                    + (REGISTRY.get(0) == REGISTRY.get(2)) + " otherDistinct=" + (REGISTRY.get(1) != b));
            if (round % 2 == 1) {
                sum += callee(other, other, new int[] {round}, s, s, round);
            }
        }
        Ck.done("sum=" + sum + " b=" + b.value + " other=" + other.value + " note=" + b.note + " arr=" + arr[0] + ","
                + arr[1] + "," + arr[2] + " globalIsB=" + (global == b) + " strSame=" + (s == alias));
    }
}
