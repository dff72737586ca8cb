package dev.rewind.internal.steps;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.StepFailedException;
import dev.rewind.internal.agent.JdkAccess;
import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.serial.GraphWriter;
import dev.rewind.internal.store.CheckpointWriter;
import dev.rewind.internal.store.GarbageCollector;
import dev.rewind.internal.store.Published;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One open pipeline: looks each step up among the stored versions of its run
 * ({@code runs/pipeline-NAME}), returns a stored result when the step's code and inputs are
 * unchanged, otherwise runs the step and stores its result as a checkpoint labelled with the
 * step's name. The engine behind {@code dev.rewind.Pipeline}; not thread-safe.
 */
public final class PipelineRun implements AutoCloseable, dev.rewind.internal.explicit.Saveable {
    /** A step body, as {@code Pipeline} calls it once the inputs are bound. */
    @FunctionalInterface
    public interface Invocation<T> {
        /** @return the step's result */
        T call() throws Exception;
    }

    private final String name;
    private final Store store;
    private final Run run;
    private final int keep;
    private final PrintStream log;
    private final StepHistory history;
    private final Map<String, Long> marks;
    private final Set<String> called = new HashSet<>();
    private final Map<Object, String> producers = new IdentityHashMap<>();
    private final Map<String, CompletableFuture<Published>> written = new LinkedHashMap<>();
    private final Set<String> failed = new HashSet<>();
    private boolean closed;

    /**
     * Opens (or creates) the pipeline's run in the store.
     *
     * @param log where to print one line per step, or null for silence
     * @throws RewindException when the store cannot be opened, another process is running this
     *     pipeline, or the JDK access the serializer needs cannot be had
     */
    public PipelineRun(String name, Path storeRoot, boolean trust, int keep, PrintStream log) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a pipeline needs a non-blank name");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
        JdkAccess.ensure();
        this.name = name;
        this.keep = keep;
        this.log = log;
        this.store = Store.open(storeRoot, new StoreOptions(0, 0, 0, trust, StoreOptions.DEFAULT_WRITE_BUFFER));
        this.run = store.namedRun("pipeline", name, RunInfo.now("pipeline", name, List.of(),
            Path.of("").toAbsolutePath(), ""));
        // the store-wide `keep` bound counts checkpoints per run, which for a pipeline would drop other
        // steps' results; versions per step are bounded by `keep` here instead
        run.keep(0);
        if (!run.info().kind().equals("pipeline") || !run.info().name().equals(name)) {
            throw new RewindException("run " + run.id() + " in store " + store.root() + " holds " + run.info().kind()
                + " '" + run.info().name() + "', not pipeline '" + name + "' (their names map to the same folder);"
                + " choose another pipeline name");
        }
        this.history = StepHistory.read(run);
        this.marks = RerunMarks.read(run.dir());
        // on SIGTERM (or Ctrl-C answered "save"), the results of the steps that finished reach the disk first
        dev.rewind.internal.explicit.SignalSaver.register(this);
    }

    @Override
    public String describe() {
        return "pipeline '" + name + "'";
    }

    /** Makes the results of the steps finished so far durable; a step still running is not saved. */
    @Override
    public int saveNow() {
        store.awaitWrites();
        return run.lastPublished();
    }

    /** @return the run holding the pipeline's step results */
    public Run run() {
        return run;
    }

    /**
     * Returns the step's stored result when its code and inputs are unchanged and it is not marked
     * to re-run, else runs it and stores the result.
     *
     * @param body the step body as the user gave it (fingerprinted, captured values hashed)
     * @param inputs the step's explicit inputs
     * @param call runs the body on the inputs
     * @throws StepFailedException wrapping a checked exception of the body; unchecked ones propagate
     * @throws dev.rewind.CheckpointRefusedException when an input or the result cannot be serialized
     */
    public <T> T step(String step, Object body, List<Object> inputs, Invocation<T> call) {
        if (closed) {
            throw new IllegalStateException("pipeline '" + name + "' is closed");
        }
        if (step == null || step.isBlank()) {
            throw new IllegalArgumentException("a step needs a non-blank name");
        }
        if (!called.add(step)) {
            throw new IllegalArgumentException("step '" + step + "' is called twice in one run of pipeline '" + name
                + "': give each step its own name");
        }
        int position = called.size() - 1;
        CodeFingerprint.Result code = CodeFingerprint.explain(body);
        ValueHash.Result input = ValueHash.of(step, inputs, body);
        List<String> dependencies = dependencies(inputs, input.captured());
        Lookup found = lookup(step, code.hash(), input.hash(), dependencies, body);
        if (found.reason() == null) {
            @SuppressWarnings("unchecked")
            T cached = (T) found.value();
            return cached;
        }
        String reason = found.reason();
        long start = System.nanoTime();
        T result;
        try {
            result = call.call();
        } catch (Exception | Error e) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            recordFailure(new StepMeta(name, step, position, code.hash(), code.methods(), input.hash(), dependencies, ms,
                "", StepMeta.FAILED, reason, String.valueOf(e), input.notes()));
            say("step '" + step + "': failed after " + duration(ms) + " (" + e + "); nothing stored");
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new StepFailedException(step, "step '" + step + "' of pipeline '" + name + "' threw " + e, e);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        StepMeta meta = new StepMeta(name, step, position, code.hash(), code.methods(), input.hash(), dependencies, ms,
            result == null ? null : result.getClass().getName(), StepMeta.RAN, reason, "", input.notes());
        store(step, result, meta);
        remember(result, step);
        say("step '" + step + "': ran in " + duration(ms) + " (" + reason + ")");
        for (String note : input.notes()) {
            say("step '" + step + "': note: " + note);
        }
        return result;
    }

    /** A stored result (reason null), or why the step runs. */
    private record Lookup(Object value, String reason) {
        static Lookup run(String reason) {
            return new Lookup(null, reason);
        }
    }

    private Lookup lookup(String step, String code, String input, List<String> dependencies, Object body) {
        List<StepHistory.Version> versions = history.versions(step);
        Long mark = marks.get(step);
        String unreadable = null;
        boolean marked = false;
        for (StepHistory.Version v : versions) {
            StepMeta m = v.meta();
            if (!m.hasResult() || !m.codeHash().equals(code) || !m.inputHash().equals(input)) {
                continue;
            }
            if (mark != null && v.manifest().timeMillis() <= mark) {
                marked = true;
                continue;
            }
            Object value;
            try {
                value = readResult(v, body);
            } catch (RewindException e) {
                unreadable = "cached result unreadable: " + e.getMessage();
                continue;
            }
            remember(value, step);
            say("step '" + step + "': reused (cached " + v.manifest().time() + ")");
            return new Lookup(value, null);
        }
        if (marked) {
            return Lookup.run("marked by rewind rerun");
        }
        if (unreadable != null) {
            return Lookup.run(unreadable);
        }
        StepHistory.Version latest = null;
        for (StepHistory.Version v : versions) {
            if (v.meta().hasResult()) {
                latest = v;
                break;
            }
        }
        if (latest == null) {
            return Lookup.run(versions.isEmpty() ? "first run" : "no stored result (the last run failed)");
        }
        boolean codeChanged = !latest.meta().codeHash().equals(code);
        boolean inputChanged = !latest.meta().inputHash().equals(input);
        String inputWhy = inputChanged ? inputReason(latest.meta(), dependencies) : "";
        if (codeChanged && inputChanged) {
            return Lookup.run("code and " + inputWhy);
        }
        return Lookup.run(codeChanged ? "code changed" : inputChanged ? inputWhy : "first run");
    }

    private String inputReason(StepMeta previous, List<String> dependencies) {
        List<String> reran = new ArrayList<>();
        for (String d : dependencies) {
            if (written.containsKey(d) && !failed.contains(d)) {
                reran.add("'" + d + "'");
            }
        }
        if (!previous.dependencies().equals(dependencies) || reran.isEmpty()) {
            return "input changed";
        }
        return "input changed: step" + (reran.size() > 1 ? "s " : " ") + String.join(", ", reran) + " ran again";
    }

    private Object readResult(StepHistory.Version v, Object body) {
        ClassLoader loader = body.getClass().getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try (InputStream in = run.open(v.manifest())) {
            Object[] roots = new GraphReader(in, n -> resolve(n, loader, context)).read();
            if (roots.length != 1) {
                throw new CorruptCheckpointException("checkpoint " + v.entry().file() + " holds " + roots.length
                    + " values, not one step result");
            }
            return roots[0];
        } catch (IOException e) {
            throw new CorruptCheckpointException("checkpoint " + v.entry().file() + " cannot be read: " + e, e);
        }
    }

    private static Class<?> resolve(String n, ClassLoader loader, ClassLoader context) throws ClassNotFoundException {
        try {
            return Class.forName(n, false, loader);
        } catch (ClassNotFoundException e) {
            if (context == null || context == loader) {
                throw e;
            }
            return Class.forName(n, false, context);
        }
    }

    private List<String> dependencies(List<Object> inputs, List<Object> captured) {
        List<String> out = new ArrayList<>();
        for (List<Object> values : List.of(inputs, captured)) {
            for (Object v : values) {
                String producer = v == null ? null : producers.get(v);
                if (producer != null && !out.contains(producer)) {
                    out.add(producer);
                }
            }
        }
        return out;
    }

    /** Records which step produced a result, so that later steps taking it as input depend on it. */
    private void remember(Object result, String step) {
        // canonical JDK values (small boxes, enums, booleans) are shared by unrelated code: not a dependency
        if (result != null && !(result instanceof Number || result instanceof Boolean || result instanceof Character
                || result instanceof Enum<?>)) {
            producers.putIfAbsent(result, step);
        }
    }

    private void store(String step, Object result, StepMeta meta) {
        CheckpointWriter out = run.begin(step);
        try {
            new GraphWriter(out).write(new Object[] {result}, new String[] {"step " + step + " result"});
        } catch (IOException e) {
            out.abort();
            throw new RewindException("cannot store the result of step '" + step + "' of pipeline '" + name + "': " + e, e);
        } catch (RuntimeException | Error e) {
            out.abort();
            throw e;
        }
        written.put(step, out.publish(meta.encode()));
    }

    private void recordFailure(StepMeta meta) {
        try {
            CheckpointWriter out = run.begin(meta.step());
            failed.add(meta.step());
            written.put(meta.step(), out.publish(meta.encode()));
        } catch (RewindException e) {
            say("step '" + meta.step() + "': could not record its failure: " + e.getMessage());
        }
    }

    /**
     * Waits until every stored result is on disk, clears the re-run marks of the steps that ran,
     * keeps the newest {@code keep} results per step and releases the run.
     *
     * @throws RewindException when a step result could not be written (the step runs again next time)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dev.rewind.internal.explicit.SignalSaver.unregister(this);
        try {
            store.awaitWrites();
            Map<String, Long> ranAt = new HashMap<>();
            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, CompletableFuture<Published>> e : written.entrySet()) {
                try {
                    Published p = e.getValue().get();
                    if (!failed.contains(e.getKey())) {
                        ranAt.put(e.getKey(), p.manifest().timeMillis());
                    }
                } catch (ExecutionException x) {
                    failures.add("step '" + e.getKey() + "': " + x.getCause().getMessage());
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new RewindException("interrupted while storing the results of pipeline '" + name + "'", x);
                }
            }
            if (!ranAt.isEmpty() && !marks.isEmpty()) {
                RerunMarks.clear(run.dir(), ranAt);
            }
            prune(written.keySet());
            if (!failures.isEmpty()) {
                throw new RewindException("pipeline '" + name + "' could not store " + failures.size() + " step result(s),"
                    + " which will run again next time: " + String.join("; ", failures));
            }
        } finally {
            run.close();
        }
    }

    /** Keeps, per step, the newest {@code keep} results and the newest failure if newer than them; removes the rest. */
    private void prune(Set<String> steps) {
        if (steps.isEmpty()) {
            return;
        }
        StepHistory now = StepHistory.read(run);
        boolean removed = false;
        for (String step : steps) {
            int results = 0;
            int failures = 0;
            for (StepHistory.Version v : now.versions(step)) {
                boolean stays = v.meta().hasResult() ? ++results <= keep : results == 0 && failures++ == 0;
                if (!stays) {
                    try {
                        run.remove(v.entry());
                        removed = true;
                    } catch (IOException e) {
                        say("could not remove old result " + v.entry().file() + ": " + e);
                    }
                }
            }
        }
        if (removed) {
            GarbageCollector.collect(store, false);
        }
    }

    private void say(String line) {
        if (log != null) {
            log.println("[rewind] " + line);
        }
    }

    private static String duration(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
