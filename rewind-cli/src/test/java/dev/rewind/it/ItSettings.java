package dev.rewind.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The knobs of the differential test, all system properties; on the Maven command line
 * ({@code mvn verify -Drewind.it.modes=hot -Drewind.it.programs=P05}) surefire passes them on to the
 * test JVM:
 *
 * <ul>
 *   <li>{@code rewind.it.modes} = comma list of default, xint, xcomp, xcompall, hot (default: default,hot,xcomp)
 *   <li>{@code rewind.it.programs} = comma list of program prefixes, e.g. P01,P07 or P07_TryCatchFinally (default: all)
 *   <li>{@code rewind.it.k} = auto | sample | all | a list like 1,3,middle,last (default: auto = one k per
 *       program and mode, rotating over first/middle/last with the program and the mode, so over the
 *       corpus each mode meets all three; the hot mode rotates over middle/last only); sample = first,
 *       middle and last everywhere;
 *       {@code rewind.it.allK=true} is the same as {@code rewind.it.k=all}
 *   <li>{@code rewind.it.chained} = true | false (default true): in the modes listed by
 *       {@code rewind.it.chainedModes} (default: default; "all" for every selected mode) each k case
 *       goes on as a chain: its first {@code rewind.it.chainMax} resumes (default 1; 0 = until the
 *       program ends) get REWIND_HALT_AFTER=1, then a last resume runs to the end.
 *       {@code -Drewind.it.k=1 -Drewind.it.chainMax=0} is the full chain from checkpoint 1.
 *   <li>{@code rewind.it.baselinePerMode} = true runs the uninterrupted reference in every mode; by default
 *       modes that give the program the same properties (default, xint, xcomp) share one (default false)
 *   <li>{@code rewind.it.compileCheck} = true | false: the hot mode's PrintCompilation test (default true)
 *   <li>{@code rewind.it.timeoutSeconds} = per CLI invocation, child JVM included (default 120)
 *   <li>{@code rewind.it.jvmArgs} = extra flags for every program JVM, space separated (default none)
 *   <li>{@code rewind.it.cliJvmArgs} = flags for the CLI JVM (default -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
 *   <li>{@code rewind.it.keep} = true keeps every case's directory (stores, outputs); failing cases are always kept
 *   <li>{@code rewind.it.workDir} = where case directories go (default target/rewind-it)
 *   <li>{@code rewind.it.threadDumps} = true | false: jcmd Thread.print of the JVMs that time out (default true)
 * </ul>
 */
public final class ItSettings {
    final List<Mode> modes;
    final List<String> programFilter;
    final String kSelection;
    final boolean chained;
    final Set<Mode> chainedModes;
    final int chainMax;
    final boolean baselinePerMode;
    final boolean compileCheck;
    final Duration timeout;
    final List<String> jvmArgs;
    final List<String> cliJvmArgs;
    final boolean keep;
    final Path workDir;
    final boolean threadDumps;

    private ItSettings() {
        modes = new ArrayList<>();
        for (String m : list(prop("rewind.it.modes", "default,hot,xcomp"))) {
            Mode mode = Mode.of(m);
            if (!modes.contains(mode)) {
                modes.add(mode);
            }
        }
        programFilter = list(prop("rewind.it.programs", ""));
        kSelection = Boolean.parseBoolean(prop("rewind.it.allK", "false")) ? "all" : prop("rewind.it.k", "auto").trim();
        chained = Boolean.parseBoolean(prop("rewind.it.chained", "true"));
        String cm = prop("rewind.it.chainedModes", "default").trim();
        chainedModes = new LinkedHashSet<>();
        if (cm.equalsIgnoreCase("all")) {
            chainedModes.addAll(modes);
        } else {
            for (String m : list(cm)) {
                chainedModes.add(Mode.of(m));
            }
        }
        chainMax = Integer.parseInt(prop("rewind.it.chainMax", "1").trim());
        baselinePerMode = Boolean.parseBoolean(prop("rewind.it.baselinePerMode", "false"));
        compileCheck = Boolean.parseBoolean(prop("rewind.it.compileCheck", "true"));
        timeout = Duration.ofSeconds(Long.parseLong(prop("rewind.it.timeoutSeconds", "120").trim()));
        jvmArgs = words(prop("rewind.it.jvmArgs", ""));
        cliJvmArgs = words(prop("rewind.it.cliJvmArgs", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        keep = Boolean.parseBoolean(prop("rewind.it.keep", "false"));
        String wd = prop("rewind.it.workDir", "");
        if (!wd.isBlank()) {
            workDir = Path.of(wd).toAbsolutePath();
        } else if (Files.isDirectory(Path.of("target"))) {
            workDir = Path.of("target", "rewind-it").toAbsolutePath();
        } else {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "rewind-it").toAbsolutePath();
        }
        threadDumps = Boolean.parseBoolean(prop("rewind.it.threadDumps", "true"));
    }

    static ItSettings fromSystemProperties() {
        return new ItSettings();
    }

    private static String prop(String name, String def) {
        String v = System.getProperty(name);
        return v == null ? def : v;
    }

    private static List<String> list(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    boolean selects(String simpleName) {
        if (programFilter.isEmpty()) {
            return true;
        }
        for (String f : programFilter) {
            if (simpleName.equals(f) || simpleName.startsWith(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param n checkpoints of the uninterrupted run (at least 1)
     * @param rotation a number that differs between the program/mode pairs, for the "auto" rotation
     * @param hot whether this is the hot mode (its first checkpoints are rarely in compiled code)
     * @return the ks to interrupt after, ascending, each in 1..n
     */
    List<Integer> pickK(int n, int rotation, boolean hot) {
        int first = 1;
        int middle = (n + 1) / 2;
        int last = n;
        Set<Integer> ks = new TreeSet<>();
        String sel = kSelection.toLowerCase(Locale.ROOT);
        switch (sel) {
            case "all" -> {
                for (int k = 1; k <= n; k++) {
                    ks.add(k);
                }
            }
            case "sample" -> ks.addAll(Arrays.asList(first, middle, last));
            case "auto" -> ks.add(hot
                    ? new int[] {middle, last}[Math.floorMod(rotation, 2)] // early hot checkpoints are rarely in C2 code
                    : new int[] {first, middle, last}[Math.floorMod(rotation, 3)]);
            default -> {
                for (String t : list(sel)) {
                    switch (t) {
                        case "first" -> ks.add(first);
                        case "middle" -> ks.add(middle);
                        case "last" -> ks.add(last);
                        default -> {
                            int k = Integer.parseInt(t);
                            if (k >= 1 && k <= n) {
                                ks.add(k);
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(ks);
    }

    @Override
    public String toString() {
        return "modes=" + modes + " programs=" + (programFilter.isEmpty() ? "all" : programFilter) + " k=" + kSelection
                + " chained=" + chained + (chained ? " in " + chainedModes + " max " + chainMax : "") + " compileCheck="
                + compileCheck + " timeout=" + timeout.toSeconds() + "s jvmArgs=" + jvmArgs + " workDir=" + workDir;
    }
}
