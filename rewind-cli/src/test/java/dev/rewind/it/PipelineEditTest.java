package dev.rewind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.cli.CliRunner;
import dev.rewind.internal.agent.JdkAccess;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline API end to end, in real JVMs with only Rewind's jar: a 4-step program is compiled in
 * two versions whose third step differs; v1 runs, then v2 reuses steps 1-2 and re-runs 3-4, with the
 * output of a fresh v2 run; then {@code rewind rerun} makes step 2 and its dependents run again.
 */
class PipelineEditTest {
    private static final String PROGRAM = """
        package demo;

        import dev.rewind.Pipeline;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.Map;
        import java.util.TreeMap;

        public class Words {
            public static void main(String[] args) {
                try (Pipeline p = Pipeline.open("words")) {
                    List<String> text = p.step("load", () -> load(2000));
                    List<String> words = p.step("split", text, t -> split(t));
                    Map<String, Integer> counts = p.step("count", words, w -> count(w));
                    String report = p.step("report", counts, c -> report(c));
                    System.out.println(report);
                }
            }

            static List<String> load(int lines) {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < lines; i++) {
                    out.add("line " + (i % 7) + " of the " + (i % 3 == 0 ? "quick" : "lazy") + " text");
                }
                return out;
            }

            static List<String> split(List<String> text) {
                List<String> out = new ArrayList<>();
                for (String line : text) {
                    for (String w : line.split(" ")) {
                        out.add(w);
                    }
                }
                return out;
            }

            static Map<String, Integer> count(List<String> words) {
                Map<String, Integer> counts = new TreeMap<>();
                for (String w : words) {
                    counts.merge(w, 1, Integer::sum); //EDIT
                }
                return counts;
            }

            static String report(Map<String, Integer> counts) {
                StringBuilder b = new StringBuilder();
                counts.forEach((w, n) -> b.append(w).append('=').append(n).append('\\n'));
                return b.toString();
            }
        }
        """;
    private static final String EDIT = "counts.merge(w, 1, Integer::sum); //EDIT";
    private static final String EDITED = "counts.merge(w.toUpperCase(), 1, Integer::sum); //EDIT";

    @TempDir
    Path tmp;

    private record Child(int code, String out, String err) {
    }

    @Test
    void anEditedThirdStepReRunsWithItsConsumerAndRerunMarksAreHonoured() throws Exception {
        Path v1 = compile(tmp.resolve("v1"), PROGRAM);
        Path v2 = compile(tmp.resolve("v2"), PROGRAM.replace(EDIT, EDITED));
        Path store = tmp.resolve("store");

        // first run without the JVM options: Rewind attaches its own jar for JDK access
        Child first = java(v1, store, false);
        assertEquals(0, first.code(), first.err());
        for (String step : List.of("load", "split", "count", "report")) {
            assertTrue(first.err().contains("step '" + step + "': ran in"), first.err());
        }
        assertTrue(first.out().contains("quick=667"), first.out());

        Child edited = java(v2, store, true);
        assertEquals(0, edited.code(), edited.err());
        assertTrue(edited.err().contains("step 'load': reused"), edited.err());
        assertTrue(edited.err().contains("step 'split': reused"), edited.err());
        assertTrue(edited.err().contains("step 'count': ran in") && edited.err().contains("(code changed)"), edited.err());
        assertTrue(edited.err().contains("step 'report': ran in") && edited.err().contains("(input changed"),
            edited.err());
        Child fresh = java(v2, tmp.resolve("fresh-store"), true);
        assertEquals(fresh.out(), edited.out(), "v2 over v1's stored steps prints what a fresh v2 run prints");
        assertTrue(edited.out().contains("QUICK=667"), edited.out());

        CliRunner.Result steps = CliRunner.run("steps", "--store", store.toString(), "--trust", "words");
        assertEquals(0, steps.code(), steps.err());
        assertTrue(steps.out().contains("cached (ran: code changed)"), steps.out());

        CliRunner.Result rerun = CliRunner.run("rerun", "--store", store.toString(), "--trust", "words", "split");
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.out().contains("marked step 'split' and its dependents count, report"), rerun.out());
        assertTrue(CliRunner.run("steps", "--store", store.toString(), "--trust", "words").out().contains("marked to re-run"));

        Child again = java(v2, store, true);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("step 'load': reused"), again.err());
        for (String step : List.of("split", "count", "report")) {
            assertTrue(again.err().contains("step '" + step + "': ran in") , again.err());
        }
        assertTrue(again.err().contains("(marked by rewind rerun)"), again.err());
        assertEquals(fresh.out(), again.out());

        Child last = java(v2, store, true);
        assertEquals(4, last.err().lines().filter(l -> l.contains("reused")).count(), last.err());
        assertEquals(fresh.out(), last.out());

        CliRunner.Result show = CliRunner.run("show", "--store", store.toString(), "--trust", "words", "count");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("step 'count'") && show.out().contains("demo.Words.count("), show.out());
        // export loads classes and needs JDK access: in a child JVM with the options, not by attaching to this one
        Child export = child(store, List.of("-cp", System.getProperty("java.class.path"), "dev.rewind.cli.Main", "export",
            "words", "count"));
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("\"QUICK\": 667"), export.out());
    }

    /** Compiles demo.Words against Rewind's jar; returns its classes folder. */
    private static Path compile(Path dir, String source) throws IOException {
        Path src = dir.resolve("src/demo/Words.java");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            boolean ok = javac.getTask(diagnostics, fm, null, List.of("-proc:none", "-d", classes.toString(), "-cp",
                RewindProcess.agentJar()), null, fm.getJavaFileObjectsFromPaths(List.of(src))).call();
            assertTrue(ok, diagnostics.toString());
        }
        return classes;
    }

    /** Runs the program in a child JVM with its own store and key folder. */
    private Child java(Path classes, Path store, boolean withFlags) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (!withFlags) {
            cmd.add("-Drewind.test.noFlags=true");
        }
        cmd.addAll(List.of("-cp", classes + File.pathSeparator + RewindProcess.agentJar(), "demo.Words"));
        return child(store, cmd);
    }

    /** Runs a JVM with these arguments (after the JDK access options unless told not to), its own store and key folder. */
    private Child child(Path store, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        if (!args.contains("-Drewind.test.noFlags=true")) {
            cmd.addAll(List.of(JdkAccess.FLAGS.split(" ")));
        }
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("REWIND_STORE", store.toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the pipeline program did not finish within 120 s: " + Files.readString(err));
        }
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }

}
