package dev.rewind.jump;

import dev.rewind.FrameView;
import dev.rewind.Rewind;
import dev.rewind.RewindException;
import dev.rewind.Snapshot;

/** Programs run by {@link JumpTest} in a JVM with the Rewind agent; each prints what it saw. */
public final class JumpPrograms {
    private static int calls;
    private final StringBuilder heap = new StringBuilder("h");

    private JumpPrograms() {
    }

    /** The classic: the tail after saveJump runs twice; jump returns when the outermost frame returns. */
    public static final class TailTwice {
        public static void main(String[] args) {
            outer();
            System.out.println("main end calls=" + calls);
        }

        static void outer() {
            int r = new JumpPrograms().work(20);
            System.out.println("outer got " + r);
        }
    }

    int work(int x) {
        long big = 1L << 40;
        double d = x / 4.0;
        int local = x * 2;
        Snapshot s = Rewind.saveJump();
        calls++;
        local++;
        heap.append('+');
        System.out.println("tail local=" + local + " big=" + big + " d=" + d + " heap=" + heap + " s="
            + (s == null ? "null" : "snapshot"));
        if (s != null) {
            Rewind.jump(s);
            System.out.println("jump returned");
        }
        return local;
    }

    /** The snapshot can be inspected: frames innermost first, locals by name. */
    public static final class Inspect {
        public static void main(String[] args) {
            int answer = 42;
            String name = "rewind";
            Snapshot s = Rewind.saveJump();
            if (s != null) {
                FrameView top = s.frames().get(0);
                System.out.println(top.className() + "." + top.methodName() + " line>0=" + (top.line() > 0)
                    + " answer=" + top.locals().get("answer") + " name=" + top.locals().get("name")
                    + " frames=" + s.frames().size());
            }
        }
    }

    /**
     * A hot loop, C2-compiled by the time it jumps: the re-entered main finishes the loop with its
     * own saved local sum, then the original finishes it again: both print the same total.
     */
    public static final class HotLoop {
        static boolean jumped;

        public static void main(String[] args) {
            long sum = 0;
            for (int i = 0; i < 200_000; i++) {
                sum = step(i, sum);
            }
            System.out.println("sum=" + sum);
        }

        static long step(int i, long sum) {
            Snapshot s = i == 150_000 && !jumped ? Rewind.saveJump() : null;
            long next = sum + i;
            if (s != null) {
                jumped = true;
                Rewind.jump(s);
                System.out.println("jump returned at " + i);
            }
            return next;
        }
    }

    /** On JDK 21+, a capture on a virtual thread is refused (the escape barrier does not cover them). */
    public static final class VirtualThread {
        public static void main(String[] args) throws Exception {
            Thread t = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null,
                (Runnable) () -> {
                    try {
                        Rewind.saveJump();
                        System.out.println("captured");
                    } catch (RewindException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                });
            t.join();
        }
    }

    /** Misuse is refused with a clear message. */
    public static final class Misuse {
        public static void main(String[] args) throws Exception {
            try {
                Rewind.jump(null);
            } catch (NullPointerException e) {
                System.out.println("null refused");
            }
            Snapshot[] box = new Snapshot[1];
            Thread t = new Thread(() -> box[0] = capture());
            t.start();
            t.join();
            try {
                Rewind.jump(box[0]);
            } catch (RewindException e) {
                System.out.println("other thread refused: " + e.getMessage());
            }
        }

        static Snapshot capture() {
            return Rewind.saveJump();
        }
    }
}
