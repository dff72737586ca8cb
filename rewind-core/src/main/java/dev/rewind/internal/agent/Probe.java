package dev.rewind.internal.agent;

import dev.rewind.Rewind;
import dev.rewind.internal.capture.EscapeBarrier;
import dev.rewind.internal.capture.LiveFrames;

/** Run by {@code rewind doctor} in a JVM started like {@code rewind run} starts programs. */
public final class Probe {
    private Probe() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        System.out.println("agent installed: " + Rewind.isActive());
        int frames = LiveFrames.get().walk().size();
        System.out.println("live stack frames readable: yes (" + frames + " frame(s) on main)");
        System.out.println(EscapeBarrier.describeRoute());
    }
}
