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
        System.out.println("agent installed: " + Rewind.isActive() + (NativeInstrumentation.get() != null
            ? " (started by the native agent, without -javaagent)" : " (Java agent, -javaagent)"));
        JdkAccess.ensure(); // as the first checkpoint does
        int frames = LiveFrames.get().walk().size();
        System.out.println("live stack frames readable: yes (" + frames + " frame(s) on main)");
        System.out.println(EscapeBarrier.describeRoute());
    }
}
