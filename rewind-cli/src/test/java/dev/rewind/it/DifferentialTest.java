package dev.rewind.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rewind.it.ProgramCatalog.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * End-to-end differential test of checkpoint/resume: for every corpus program
 * ({@code dev.rewind.it.programs.Pnn_*}) and every selected {@link Mode}:
 *
 * <ol>
 *   <li><b>uninterrupted</b>: {@code rewind run} without interruption gives the reference stdout O
 *       and N, the number of {@code *.ckpt} files it saved;
 *   <li><b>k=K/N</b>: in a fresh store, {@code rewind run} with {@code REWIND_HALT_AFTER=K} must
 *       exit 86 after printing a prefix of O, then {@code rewind resume} must exit 0, and the two
 *       stdouts one after the other must equal O byte for byte;
 *   <li><b>k=K/N chained</b> (in the chained modes, by default only "default"): the same, but the
 *       first {@code rewind.it.chainMax} resumes get {@code REWIND_HALT_AFTER=1}, so each halts at
 *       its own first checkpoint and the next one resumes from a checkpoint taken by a resumed JVM;
 *       {@code -Drewind.it.k=1 -Drewind.it.chainMax=0} gives the full chain from checkpoint 1;
 *   <li><b>compiled</b> (hot mode, programs naming hotMethods): with {@code -XX:+PrintCompilation},
 *       at least one checkpoint must be taken while those methods are C2-compiled; the hot mode's
 *       k is then picked among those checkpoints (-Xbatch makes the JIT state reproducible).
 * </ol>
 *
 * The JVMs of one case run one after the other; cases share nothing but the memoized reference
 * runs, so they may run in parallel. Knobs: see {@link ItSettings}.
 */
class DifferentialTest {
    private static final ItSettings S = ItSettings.fromSystemProperties();
    private static final ConcurrentHashMap<String, FutureTask<Baseline>> BASELINES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, FutureTask<Compiled>> COMPILED = new ConcurrentHashMap<>();

    /** The hot mode's PrintCompilation run: what was C2-compiled at each checkpoint. */
    record Compiled(RewindProcess.Result result, List<CompileLog.Checkpoint> checkpoints, String problem, Path dir) {
        /** @return the numbers of the checkpoints taken while every hot method had a live C2 nmethod */
        List<Integer> c2() {
            List<Integer> out = new ArrayList<>();
            for (CompileLog.Checkpoint cp : checkpoints) {
                if (cp.allC2()) {
                    out.add(cp.n());
                }
            }
            return out;
        }
    }

    /** The uninterrupted reference run of a program with given properties. */
    record Baseline(Mode mode, RewindProcess.Result result, int checkpoints, String problem) {
        byte[] out() {
            return result.stdout();
        }
    }

    @TestFactory
    Stream<DynamicNode> differential() {
        List<Program> programs = ProgramCatalog.discover(S);
        String problem = preflight(programs);
        if (problem != null) {
            return Stream.of(dynamicTest("preflight", () -> fail(problem)));
        }
        System.out.println("[rewind-it] " + programs.size() + " programs; " + S);
        return programs.stream().map(p -> dynamicContainer(p.simpleName(), S.modes.stream().map(m -> modeNode(p, m))));
    }

    @AfterAll
    static void stats() {
        System.out.println("[rewind-it] " + RewindProcess.stats());
    }

    private static String preflight(List<Program> programs) {
        StringBuilder sb = new StringBuilder();
        if (programs.isEmpty()) {
            sb.append("no program matches -Drewind.it.programs=").append(S.programFilter).append('\n');
        }
        String agent;
        try {
            agent = RewindProcess.agentJar();
            if (!Files.exists(Path.of(agent))) {
                sb.append("the Rewind agent jar ").append(agent).append(" does not exist: build rewind-core first (mvn verify from the root,")
                        .append(" or mvn -pl rewind-core package), or point -Drewind.agentJar at it\n");
            }
        } catch (RuntimeException e) {
            sb.append(e.getMessage()).append('\n');
        }
        try {
            Class.forName("dev.rewind.cli.Main", false, DifferentialTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            sb.append("dev.rewind.cli.Main is not on the test class path\n");
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static DynamicNode modeNode(Program p, Mode m) {
        String name = p.simpleName() + " [" + m.id() + "]";
        int rotation = p.index() + S.modes.indexOf(m);
        List<DynamicNode> head = new ArrayList<>();
        head.add(dynamicTest(name + " uninterrupted", () -> checkBaseline(p, m)));
        if (usesCompileCheck(p, m)) {
            head.add(dynamicTest(name + " compiled", () -> compiled(p, m)));
        }
        // The interrupted cases depend on N, known once the reference run is done: built lazily.
        Stream<DynamicNode> cases = Stream.of(name).flatMap(n -> interruptedCases(p, m, n, rotation));
        return dynamicContainer(name, Stream.concat(head.stream(), cases));
    }

    private static Stream<DynamicNode> interruptedCases(Program p, Mode m, String name, int rotation) {
        Baseline b = baseline(p, m);
        if (knownRefusal(p, m)) {
            return Stream.empty();
        }
        if (b.problem() != null) {
            return Stream.of(dynamicTest(name + " interrupted runs", () -> Assumptions.abort(
                    "skipped: no usable uninterrupted run (" + b.problem() + ")")));
        }
        List<DynamicNode> out = new ArrayList<>();
        List<Integer> ks = S.pickK(b.checkpoints(), rotation, m == Mode.HOT);
        if (m == Mode.HOT && S.kSelection.equals("auto") && usesCompileCheck(p, m)) {
            // -Xbatch makes the JIT state at each checkpoint reproducible: interrupt at one taken in C2 code
            List<Integer> c2 = compiledInfo(p, m).c2();
            c2.removeIf(k -> k > b.checkpoints());
            if (!c2.isEmpty()) {
                ks = List.of(Math.floorMod(rotation, 2) == 0 ? c2.get(c2.size() - 1) : c2.get((c2.size() - 1) / 2));
            }
        }
        boolean chain = S.chained && S.chainedModes.contains(m);
        for (int k : ks) {
            out.add(dynamicTest(name + " k=" + k + "/" + b.checkpoints() + (chain ? " chained" : ""),
                    () -> interrupted(p, m, b, k, chain)));
        }
        return out.stream();
    }

    // ---------------------------------------------------------------- the reference run

    private static Baseline baseline(Program p, Mode m) {
        String key = p.simpleName() + "|" + (S.baselinePerMode ? m.id() : m.outputKey(p.spec()));
        return once(BASELINES, key, () -> computeBaseline(p, m), "reference run of " + p.simpleName());
    }

    /** Computes a value once per key, also when tests run in parallel; later callers wait for it. */
    private static <T> T once(java.util.Map<String, FutureTask<T>> cache, String key, java.util.concurrent.Callable<T> compute,
            String what) {
        FutureTask<T> task = new FutureTask<>(compute);
        FutureTask<T> existing = cache.putIfAbsent(key, task);
        if (existing == null) {
            task.run();
            existing = task;
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }

    private static Baseline computeBaseline(Program p, Mode m) {
        Path dir = caseDir(p, m, "uninterrupted");
        Path store = dir.resolve("store");
        RewindProcess.Result r = RewindProcess.run(S, dir, "run", store, flags(p, m), p.className(), args(p), null);
        int n = countCheckpoints(store);
        String problem = null;
        if (r.timedOut()) {
            problem = "the uninterrupted run timed out";
        } else if (r.exitCode() != 0) {
            problem = "the uninterrupted run exited " + r.exitCode() + " instead of 0";
        } else if (n == 0) {
            problem = "the uninterrupted run saved no *.ckpt file under " + store;
        }
        if (problem == null) {
            cleanup(dir);
        }
        return new Baseline(m, r, n, problem);
    }

    private static boolean knownRefusal(Program p, Mode m) {
        return List.of(p.spec().refusedIn()).contains(m.id());
    }

    private static void checkBaseline(Program p, Mode m) {
        Baseline b = baseline(p, m);
        String name = p.simpleName() + " [" + m.id() + "]";
        if (knownRefusal(p, m)) {
            String err = b.result().stderr();
            if (b.problem() == null || !err.contains("CheckpointRefusedException") || !err.contains(p.spec().refusal())) {
                fail(name + ": expected the known refusal containing '" + p.spec().refusal() + "'\n"
                        + b.result().describe());
            }
            System.out.println("[rewind-it] " + name + ": refused as documented (" + p.spec().refusal() + ")");
            return;
        }
        if (b.problem() != null) {
            fail(name + ": " + b.problem() + (b.mode() != m ? " (reference run shared with mode " + b.mode().id() + ")" : "")
                    + "\n" + b.result().describe() + "case directory kept: " + caseDirPath(p, b.mode(), "uninterrupted"));
        }
        System.out.println("[rewind-it] " + name + " uninterrupted: N=" + b.checkpoints() + ", " + b.out().length + " stdout bytes, "
                + b.result().millis() + " ms" + (b.mode() != m ? " (shared with " + b.mode().id() + ")" : ""));
    }

    // ---------------------------------------------------------------- interrupted runs

    /**
     * Run halted after checkpoint k, then resume; in a chained mode, resume with
     * {@code REWIND_HALT_AFTER=1} up to {@code chainMax} times first (each resumed JVM halts at its own
     * first checkpoint), then resume to the end.
     */
    private static void interrupted(Program p, Mode m, Baseline b, int k, boolean chain) {
        int n = b.checkpoints();
        String name = p.simpleName() + " [" + m.id() + "] k=" + k + "/" + n + (chain ? " chained" : "");
        Path dir = caseDir(p, m, "k" + k + (chain ? "-chained" : ""));
        Path store = dir.resolve("store");
        List<RewindProcess.Result> all = new ArrayList<>();
        List<byte[]> outs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        RewindProcess.Result run = RewindProcess.run(S, dir, "run-halt-after-" + k, store, flags(p, m), p.className(), args(p), k);
        all.add(run);
        outs.add(run.stdout());
        names.add("the run halted after checkpoint " + k);
        expectHalted(name, run, b, dir, all);
        int halts = 0;
        for (int i = 1; ; i++) {
            if (i > n + 1) {
                failCase(name, "the resumes keep halting: " + (i - 1) + " resumes for " + n + " checkpoints", b, all, dir);
            }
            boolean halting = chain && (S.chainMax <= 0 || halts < S.chainMax);
            RewindProcess.Result res = RewindProcess.resume(S, dir, "resume-" + i + (halting ? "-halt-after-1" : ""), store,
                    halting ? 1 : null);
            all.add(res);
            outs.add(res.stdout());
            names.add((chain ? "resume " + i : "the resume") + (halting ? " (REWIND_HALT_AFTER=1)" : ""));
            if (!res.timedOut() && res.exitCode() == 0) {
                break;
            }
            if (halting && !res.timedOut() && res.exitCode() == RewindProcess.HALT_EXIT) {
                halts++;
                continue;
            }
            failCase(name, (chain ? "resume " + i : "the resume") + " exited "
                    + (res.timedOut() ? "by timeout" : Integer.toString(res.exitCode())) + " instead of " + (halting ? "86 or 0" : "0"),
                    b, all, dir);
        }
        String diff = OutputDiff.explain(b.out(), outs, names);
        if (diff != null) {
            failCase(name, diff, b, all, dir);
        }
        int expectedHalts = !chain ? 0 : S.chainMax <= 0 ? n - k : Math.min(S.chainMax, n - k);
        if (halts != expectedHalts) {
            failCase(name, "the output matches, but " + halts + " resumes halted at their first checkpoint where " + expectedHalts
                    + " were expected for N=" + n + " (does a resumed JVM count its checkpoints from the resume?)", b, all, dir);
        }
        cleanup(dir);
    }

    private static void expectHalted(String name, RewindProcess.Result run, Baseline b, Path dir, List<RewindProcess.Result> all) {
        if (run.timedOut() || run.exitCode() != RewindProcess.HALT_EXIT) {
            String why = run.timedOut() ? "timed out" : "exited " + run.exitCode();
            if (!run.timedOut() && run.exitCode() == 0 && Arrays.equals(run.stdout(), b.out())) {
                why += " with the complete output: REWIND_HALT_AFTER did not halt it";
            }
            failCase(name, "the run with REWIND_HALT_AFTER=" + run.haltAfter() + " " + why + "; expected exit 86", b, all, dir);
        }
        byte[] out = run.stdout();
        byte[] exp = b.out();
        if (out.length > exp.length || !Arrays.equals(out, 0, out.length, exp, 0, out.length)) {
            String diff = OutputDiff.explain(Arrays.copyOf(exp, Math.min(exp.length, out.length)), List.of(out),
                    List.of("the halted run"));
            failCase(name, "the halted run's stdout is not a prefix of the uninterrupted run's:\n" + diff, b, all, dir);
        }
    }

    // ---------------------------------------------------------------- compiled frames in the hot mode

    private static boolean usesCompileCheck(Program p, Mode m) {
        return m == Mode.HOT && S.compileCheck && p.spec().hotMethods().length > 0;
    }

    private static Compiled compiledInfo(Program p, Mode m) {
        return once(COMPILED, p.simpleName() + "|" + m.id(), () -> computeCompiled(p, m),
            "PrintCompilation run of " + p.simpleName());
    }

    private static Compiled computeCompiled(Program p, Mode m) {
        Path dir = caseDir(p, m, "compiled");
        List<String> flags = new ArrayList<>(flags(p, m));
        flags.add("-XX:+PrintCompilation");
        flags.add("-Dck.trace=true");
        RewindProcess.Result r = RewindProcess.run(S, dir, "run-printcompilation", dir.resolve("store"), flags, p.className(),
                args(p), null);
        List<CompileLog.Checkpoint> cps = CompileLog.analyze(Arrays.asList(r.stdoutText().split("\n")),
                List.of(p.spec().hotMethods()));
        String problem = null;
        if (r.timedOut() || r.exitCode() != 0) {
            problem = "the run with -XX:+PrintCompilation exited " + (r.timedOut() ? "by timeout" : r.exitCode());
        } else if (cps.isEmpty()) {
            problem = "no '#CK' checkpoint marker in the output";
        }
        return new Compiled(r, cps, problem, dir);
    }

    private static void compiled(Program p, Mode m) {
        String name = p.simpleName() + " [" + m.id() + "] compiled";
        Compiled c = compiledInfo(p, m);
        if (c.problem() != null) {
            fail(name + ": " + c.problem() + "\n" + c.result().describe() + "case directory kept: " + c.dir());
        }
        List<String> methods = List.of(p.spec().hotMethods());
        String summary = CompileLog.summary(c.checkpoints());
        System.out.println("[rewind-it] " + name + ":\n" + summary);
        if (c.c2().isEmpty()) {
            fail(name + ": no checkpoint was taken while " + methods + " had a live C2 (tier 4) nmethod; raise hotWork/hotEvery"
                    + " in the program's @ProgramSpec, or name a method C2 compiles on its own.\n" + summary
                    + "case directory kept: " + c.dir());
        }
        cleanup(c.dir());
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> flags(Program p, Mode m) {
        List<String> f = new ArrayList<>(S.jvmArgs);
        f.addAll(m.flags(p.spec()));
        return f;
    }

    private static List<String> args(Program p) {
        return List.of(p.spec().args());
    }

    private static void failCase(String name, String problem, Baseline b, List<RewindProcess.Result> all, Path dir) {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(": ").append(problem).append('\n');
        for (RewindProcess.Result r : all) {
            sb.append(r.describe());
        }
        try {
            Files.write(dir.resolve("expected.stdout"), b.out());
            List<byte[]> outs = new ArrayList<>();
            for (RewindProcess.Result r : all) {
                outs.add(r.stdout());
            }
            Files.write(dir.resolve("actual.stdout"), OutputDiff.concat(outs));
        } catch (IOException e) {
            sb.append("(could not write expected/actual files: ").append(e).append(")\n");
        }
        sb.append("case directory kept (stores, each JVM's stdout/stderr, expected.stdout, actual.stdout): ").append(dir).append('\n');
        sb.append("TEST_CP=").append(RewindProcess.TEST_CP).append('\n');
        fail(sb.toString());
    }

    private static Path caseDirPath(Program p, Mode m, String what) {
        return S.workDir.resolve(p.simpleName()).resolve(m.id()).resolve(what);
    }

    private static Path caseDir(Program p, Mode m, String what) {
        Path dir = caseDirPath(p, m, what);
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static void cleanup(Path dir) {
        if (!S.keep) {
            try {
                deleteTree(dir);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    static int countCheckpoints(Path store) {
        if (!Files.isDirectory(store)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(store)) {
            return (int) walk.filter(q -> q.getFileName().toString().endsWith(".ckpt") && Files.isRegularFile(q)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
