package dev.rewind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.steps.RerunMarks;
import dev.rewind.internal.steps.StepHistory;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline steps: reuse, re-runs on code, input and mark changes, failures, damage, dependencies. */
class PipelineTest {
    /** Names of the step bodies that ran, in order; step bodies read it statically, so it is not an input. */
    static final List<String> RAN = new ArrayList<>();

    @TempDir
    Path tmp;

    private boolean log;

    private Pipeline open(String name) {
        return Pipeline.builder(name).store(tmp.resolve("store")).log(log).open();
    }

    private static List<Integer> range(int n) {
        RAN.add("load");
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static List<Integer> evens(List<Integer> xs) {
        RAN.add("clean");
        return xs.stream().filter(x -> x % 2 == 0).collect(Collectors.toList());
    }

    private static String banner() {
        RAN.add("banner");
        return "totals";
    }

    private static int sum(List<Integer> xs, String title) {
        RAN.add("report");
        return xs.stream().mapToInt(Integer::intValue).sum() + title.length();
    }

    /** A 4-step pipeline whose first step produces 0..n-1. */
    private int runPipeline(int n) {
        RAN.clear();
        try (Pipeline p = open("numbers")) {
            List<Integer> xs = p.step("load", () -> range(n));
            List<Integer> clean = p.step("clean", xs, PipelineTest::evens);
            String title = p.step("banner", PipelineTest::banner);
            return p.step("report", clean, title, PipelineTest::sum);
        }
    }

    @Test
    void unchangedStepsAreReused() {
        assertEquals(20 + 6, runPipeline(10));
        assertEquals(List.of("load", "clean", "banner", "report"), RAN);
        assertEquals(20 + 6, runPipeline(10));
        assertEquals(List.of(), RAN, "nothing should run again");
    }

    @Test
    void aChangedInputReRunsItsStepAndTheStepsThatConsumeItsResult() {
        runPipeline(10);
        assertEquals(42 + 6, runPipeline(14));
        assertEquals(List.of("load", "clean", "report"), RAN, "banner does not consume load's result");
    }

    @Test
    void aStepWhoseInputContentIsUnchangedIsReusedEvenWhenItsProducerRan() {
        runPipeline(10);
        runPipeline(11); // load gives 0..10, clean still 0,2,..,10: the same content as before? no: 10 is new
        RAN.clear();
        runPipeline(12); // load changes (11 added), clean's result (evens up to 10) is the same as in the run before
        assertEquals(List.of("load", "clean"), RAN, "report's input content did not change");
    }

    @Test
    void stepsRecordTheirDependenciesAndRerunMarksFollowThem() throws Exception {
        runPipeline(10);
        Store s = Store.open(tmp.resolve("store"), StoreOptions.defaults());
        Run run = s.run("pipeline-numbers");
        StepHistory h = StepHistory.read(run);
        assertEquals(List.of("load", "clean", "banner", "report"), h.steps());
        assertEquals(List.of("load"), h.latest("clean").meta().dependencies());
        assertEquals(List.of("clean", "banner"), h.latest("report").meta().dependencies());
        assertEquals(List.of(), h.latest("load").meta().dependencies(), "a captured int is data, not a step result");
        assertEquals(Set.of("clean", "report"), h.withDependents("clean"));

        RerunMarks.mark(run.dir(), h.withDependents("clean"), System.currentTimeMillis());
        runPipeline(10);
        assertEquals(List.of("clean", "report"), RAN);
        assertEquals(Map.of(), RerunMarks.read(run.dir()), "marks are cleared once the steps ran");
        runPipeline(10);
        assertEquals(List.of(), RAN);
    }

    @Test
    void aFailedStepIsNotStoredAndItsExceptionPropagates() {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Pipeline p = open("fails")) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.step("a", () -> {
                throw boom;
            }));
            assertSame(boom, thrown, "unchecked exceptions propagate unchanged");
            StepFailedException checked = assertThrows(StepFailedException.class, () -> p.step("b", () -> {
                throw new IOException("disk");
            }));
            assertTrue(checked.getCause() instanceof IOException);
            assertEquals("b", checked.step());
        }
        RAN.clear();
        try (Pipeline p = open("fails")) {
            assertEquals("ok", p.step("a", () -> {
                RAN.add("a");
                return "ok";
            }));
        }
        assertEquals(List.of("a"), RAN, "a failed step runs again");
        StepHistory h = StepHistory.read(Store.open(tmp.resolve("store"), StoreOptions.defaults()).run("pipeline-fails"));
        assertFalse(h.latest("b").meta().hasResult());
        assertTrue(h.latest("b").meta().error().contains("disk"), h.latest("b").meta().error());
    }

    @Test
    void aDamagedStoredResultIsRunAgainAndTheReasonSaid() throws Exception {
        runPipeline(10);
        try (Stream<Path> files = Files.walk(tmp.resolve("store/chunks"))) {
            for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                byte[] b = Files.readAllBytes(f);
                b[b.length / 2] ^= 0x55;
                Files.write(f, b);
            }
        }
        log = true;
        String err = captureErr(() -> runPipeline(10));
        assertEquals(List.of("load", "clean", "banner", "report"), RAN, "damaged results are not reused");
        assertTrue(err.contains("step 'load': ran in") && err.contains("(cached result unreadable: ")
            && err.contains("chunk"), err);
        assertTrue(err.contains("step 'report': ran in"), err);
    }

    @Test
    void resultsAreFreshCopiesAndOnlyTheNewestVersionsAreKept() {
        List<Integer> first;
        try (Pipeline p = open("keep")) {
            first = p.step("load", () -> range(3));
        }
        try (Pipeline p = open("keep")) {
            List<Integer> again = p.step("load", () -> range(3));
            assertEquals(first, again);
            assertNotSame(first, again);
        }
        for (int n = 4; n < 8; n++) {
            int size = n;
            try (Pipeline p = open("keep")) {
                p.step("load", () -> range(size));
            }
        }
        Run run = Store.open(tmp.resolve("store"), StoreOptions.defaults()).run("pipeline-keep");
        assertEquals(2, StepHistory.read(run).versions("load").size());
    }

    @Test
    void aStepNameIsUsedOncePerRun() {
        try (Pipeline p = open("twice")) {
            p.step("a", () -> 1);
            assertThrows(IllegalArgumentException.class, () -> p.step("a", () -> 2));
        }
    }

    @Test
    void anotherKindOfRunWithTheSameFolderIsNotTakenForThePipeline() {
        Store s = Store.open(tmp.resolve("store"), StoreOptions.defaults());
        s.namedRun("pipeline", "x y", RunInfo.now("pipeline", "x y", List.of(), tmp, ""));
        RewindException e = assertThrows(RewindException.class, () -> open("x_y"));
        assertTrue(e.getMessage().contains("choose another pipeline name"), e.getMessage());
    }

    // ---- code changes: two compiled versions of one program ----

    private static final String PROGRAM = """
        package demo;

        import dev.rewind.Pipeline;
        import java.nio.file.Path;
        import java.util.ArrayList;
        import java.util.List;

        public class Steps {
            public static List<String> ran = new ArrayList<>();

            public static String run(Path store) {
                ran.clear();
                try (Pipeline p = Pipeline.builder("edited").store(store).log(false).open()) {
                    List<Integer> a = p.step("one", () -> one());
                    List<Integer> b = p.step("two", a, x -> two(x));
                    List<Integer> c = p.step("three", b, x -> three(x));
                    return p.step("four", c, x -> four(x));
                }
            }

            static List<Integer> one() {
                ran.add("one");
                return new ArrayList<>(List.of(5, 3, 8, 1));
            }

            static List<Integer> two(List<Integer> x) {
                ran.add("two");
                List<Integer> out = new ArrayList<>(x);
                out.sort(null);
                return out;
            }

            static List<Integer> three(List<Integer> x) {
                ran.add("three");
                List<Integer> out = new ArrayList<>();
                for (int v : x) {
                    out.add(v * 2); //EDIT
                }
                return out;
            }

            static String four(List<Integer> x) {
                ran.add("four");
                return x.toString();
            }
        }
        """;

    @Test
    void editingTheThirdStepsCodeReRunsItAndTheFourthOnly() throws Exception {
        ClassLoader v1 = compile(tmp.resolve("v1"), PROGRAM);
        ClassLoader v2 = compile(tmp.resolve("v2"), PROGRAM.replace("v * 2); //EDIT", "v * 3); //EDIT"));
        Path store = tmp.resolve("edit-store");
        assertEquals("[2, 6, 10, 16]", call(v1, store));
        assertEquals(List.of("one", "two", "three", "four"), ran(v1));
        assertEquals("[3, 9, 15, 24]", call(v2, store));
        assertEquals(List.of("three", "four"), ran(v2));
        assertEquals(call(v2, tmp.resolve("fresh-store")), "[3, 9, 15, 24]", "same as an uninterrupted run");
        assertEquals("[3, 9, 15, 24]", call(v2, store));
        assertEquals(List.of(), ran(v2));
        StepHistory h = StepHistory.read(Store.open(store, StoreOptions.defaults()).run("pipeline-edited"));
        assertEquals("code changed", h.versions("three").get(0).meta().reason());
        assertTrue(h.latest("three").meta().methods().stream().anyMatch(m -> m.startsWith("demo.Steps.three(")),
            h.latest("three").meta().methods().toString());
    }

    private static String call(ClassLoader loader, Path store) throws ReflectiveOperationException {
        Method run = Class.forName("demo.Steps", true, loader).getMethod("run", Path.class);
        return (String) run.invoke(null, store);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ran(ClassLoader loader) throws ReflectiveOperationException {
        return (List<String>) Class.forName("demo.Steps", true, loader).getField("ran").get(null);
    }

    /** Compiles demo.Steps against Rewind into dir; its loader delegates to this test's for Rewind. */
    private static ClassLoader compile(Path dir, String source) throws IOException {
        Path src = dir.resolve("src/demo/Steps.java");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            boolean ok = javac.getTask(diagnostics, fm, null, List.of("-proc:none", "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path")), null, fm.getJavaFileObjectsFromPaths(List.of(src))).call();
            assertTrue(ok, diagnostics.toString());
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, PipelineTest.class.getClassLoader());
    }

    private static String captureErr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
