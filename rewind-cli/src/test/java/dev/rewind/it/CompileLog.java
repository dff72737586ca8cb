package dev.rewind.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a program's stdout produced with {@code -XX:+PrintCompilation -Dck.trace=true} and tells,
 * for each real checkpoint (marker {@code #CK n label}), which of the given methods had a live
 * tier-4 (C2) nmethod, normal or OSR, at that moment. Compiler threads write to the same stdout,
 * sometimes in the middle of a program line, so both patterns are searched anywhere in a line.
 *
 * <p>Run it by hand too: {@code java -cp rewind-cli/target/test-classes dev.rewind.it.CompileLog out.txt P01_StaticLoop::step}.
 */
final class CompileLog {
    // "   123   45 %  b  4       pkg.Cls$Inner::method @ 12 (93 bytes)   made not entrant"  (JDK 17: padded timestamp; JDK 25 too)
    private static final Pattern COMPILE = Pattern.compile(
            "(?:^|\\s)\\d+\\s+(\\d+)\\s+([%sb!n ]*?)\\s*([0-4])\\s+([\\w.$/]+)::([\\w$<>]+)(\\s+@\\s+\\d+)?\\s+\\(\\d+ bytes\\)(.*)");
    private static final Pattern MARKER = Pattern.compile("#CK (\\d+) (.*)");

    /** One checkpoint's view of the compiled methods. */
    record Checkpoint(int n, String label, Map<String, Boolean> c2ByMethod) {
        boolean allC2() {
            return c2ByMethod.values().stream().allMatch(b -> b);
        }
    }

    private record Nm(String method, int level, boolean osr) {
    }

    private CompileLog() {
    }

    static List<Checkpoint> analyze(List<String> lines, List<String> methods) {
        Map<Integer, Nm> live = new HashMap<>();
        List<Checkpoint> out = new ArrayList<>();
        for (String line : lines) {
            Matcher c = COMPILE.matcher(line);
            if (c.find()) {
                int id = Integer.parseInt(c.group(1));
                boolean osr = c.group(2).contains("%");
                int level = Integer.parseInt(c.group(3));
                String method = c.group(4) + "::" + c.group(5);
                String tail = c.group(7);
                if (tail.contains("made not entrant") || tail.contains("made zombie") || tail.contains("unloaded")) {
                    live.remove(id);
                } else {
                    live.put(id, new Nm(method, level, osr));
                }
            }
            Matcher m = MARKER.matcher(line);
            if (m.find()) {
                Map<String, Boolean> status = new LinkedHashMap<>();
                for (String wanted : methods) {
                    boolean c2 = false;
                    for (String alt : wanted.split("\\|")) {
                        c2 |= live.values().stream().anyMatch(nm -> nm.level == 4 && matches(nm.method, alt.trim()));
                    }
                    status.put(wanted, c2);
                }
                out.add(new Checkpoint(Integer.parseInt(m.group(1)), m.group(2), status));
            }
        }
        return out;
    }

    /** @return whether a printed name like {@code dev.rewind.it.programs.P01_StaticLoop::step} is {@code wanted} ({@code P01_StaticLoop::step}) */
    static boolean matches(String printed, String wanted) {
        String p = printed.replace('/', '.');
        return p.equals(wanted) || p.endsWith("." + wanted);
    }

    static String summary(List<Checkpoint> cps) {
        StringBuilder sb = new StringBuilder();
        for (Checkpoint cp : cps) {
            sb.append("  #").append(cp.n()).append(' ').append(cp.allC2() ? "C2      " : "not C2  ").append(cp.c2ByMethod())
                    .append("  ").append(cp.label()).append('\n');
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<Checkpoint> cps = analyze(lines, List.of(args).subList(1, args.length));
        System.out.print(summary(cps));
    }
}
