package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;

/**
 * Sites that Rewind documents as refusable (a constructor frame on the chain; an uninitialized
 * object on a caller's operand stack, as in {@code new Point(x, helper())}) between ordinary
 * checkpoints. Each site prints whether the checkpoint was taken or refused (no message, no trace),
 * so the output is the same with an engine that refuses and one that copes, as long as it is
 * consistent; the ordinary checkpoints around them must work either way.
 */
@ProgramSpec(hotEvery = 1, hotWork = 1)
public final class P46_Refusals {
    record Point(int x, int y) {
    }

    static final class Widget {
        final String name;
        final String status;

        Widget(String name) {
            this.name = name;
            this.status = Ck.force("P46 in constructor " + name); // a constructor frame is on the chain
        }
    }

    static String lastStatus = "";

    static int helper(int v) {
        lastStatus = Ck.force("P46 uninitialized-on-stack " + v);
        return v * 2;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        List<Object> made = new ArrayList<>();
        for (int round = 0; round < 3 * w; round++) {
            Ck.log("round " + round + " before ordinary checkpoint");
            Ck.point("P46 ordinary " + round);
            Ck.log("round " + round + " after ordinary checkpoint");
            Widget wd = new Widget("w" + round);
            Ck.log("constructor site: " + wd.status);
            Point p = new Point(round, helper(round)); // 'new Point' is uninitialized while helper runs
            Ck.log("operand-stack site: " + lastStatus + " p=" + p);
            made.add(wd.name + p);
            if (made.size() > 4) {
                made.remove(0);
            }
        }
        Ck.done("made=" + made);
    }
}
