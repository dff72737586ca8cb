package dev.rewind.it;

import dev.rewind.it.programs.ProgramSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A way of running the program JVM. The flags go between {@code java} and {@code -cp}; they are
 * part of the command line that {@code rewind run} records, so the resumed JVM gets them too.
 */
public enum Mode {
    /** No flags: tiered compilation as usual; with only a few checkpoints most code runs interpreted or in C1. */
    DEFAULT,
    /** {@code -Xint}: every frame is interpreted. */
    XINT,
    /**
     * {@code -Xcomp} limited to the corpus ({@code -XX:CompileCommand=compileonly,dev/rewind/it/programs/*.*}):
     * every corpus method is compiled by C2 at its first call, so every checkpoint walks compiled
     * application frames, while the JDK stays interpreted. A plain -Xcomp JVM spends 5 to 10 s
     * compiling the JDK's string concatenation and lambda machinery, too slow for the default
     * selection: that is {@link #XCOMPALL}.
     */
    XCOMP,
    /** Plain {@code -Xcomp}: everything, JDK included, compiled at first call (slow: opt in). */
    XCOMPALL,
    /**
     * {@code -Dck.every=E -Dwork=W}: each scenario runs W times with one checkpoint every E calls, so
     * most checkpoints are taken after the JIT has compiled the code. Programs that name
     * {@link ProgramSpec#hotMethods()} also get {@code -Xbatch} (compile in the foreground), which makes
     * what is compiled at each checkpoint the same from run to run (it costs too much time to give it
     * to every program on JDK 17).
     */
    HOT;

    /** @return the name used in test names and in {@code -Drewind.it.modes} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the program JVM's flags for this mode, the program's own {@link ProgramSpec#jvmArgs()} first */
    public List<String> flags(ProgramSpec spec) {
        List<String> f = new ArrayList<>(List.of(spec.jvmArgs()));
        switch (this) {
            case XINT -> f.add("-Xint");
            case XCOMP -> f.addAll(List.of("-Xcomp", "-XX:CompileCommand=quiet",
                    "-XX:CompileCommand=compileonly,dev/rewind/it/programs/*.*"));
            case XCOMPALL -> f.add("-Xcomp");
            case HOT -> {
                if (spec.hotMethods().length > 0) {
                    f.add("-Xbatch");
                }
                f.add("-Dck.every=" + spec.hotEvery());
                f.add("-Dwork=" + spec.hotWork());
            }
            default -> {
            }
        }
        return f;
    }

    /**
     * Modes whose programs see the same system properties compute the same output, so they can share
     * one uninterrupted reference run.
     *
     * @return a key equal for modes that run the program with the same properties
     */
    public String outputKey(ProgramSpec spec) {
        return this == HOT ? "hot:" + spec.hotEvery() + "/" + spec.hotWork() : "plain";
    }

    /** @return the mode named {@code id} */
    public static Mode of(String id) {
        for (Mode m : values()) {
            if (m.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + id + "'; known: default, xint, xcomp, xcompall, hot");
    }
}
