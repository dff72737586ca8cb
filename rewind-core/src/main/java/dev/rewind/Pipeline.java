package dev.rewind;

import dev.rewind.internal.steps.PipelineRun;
import dev.rewind.internal.store.Store;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A sequence of named steps whose results are stored and reused by the next run of the program
 * while the step's code and inputs are unchanged:
 *
 * <pre>{@code
 * try (Pipeline p = Pipeline.open("sales")) {
 *     List<Row> rows = p.step("load", () -> Csv.read(path));
 *     List<Row> clean = p.step("clean", rows, r -> Cleaning.dropInvalid(r));
 *     Report report = p.step("report", clean, c -> Report.of(c));
 * }
 * }</pre>
 *
 * <p><b>When a stored result is reused.</b> A step runs again when any of these changed since its
 * stored result was made: its <em>code</em> (the bytecode of the lambda's body and of every
 * application method it can reach, see {@code CodeFingerprint} for what is and is not followed),
 * its <em>inputs</em> (the content of the input values and of the values the lambda captured, as
 * Rewind serializes them: equal content gives an equal hash whatever the objects' identity), or
 * {@code rewind rerun NAME STEP} marked it. A step that consumes an earlier step's result runs
 * again when that result's content changed; when a re-run step produced the same content as
 * before, its consumers are reused (early cutoff). Otherwise the result is read back from the
 * store, a fresh copy: mutating it does not change the stored one.
 *
 * <p><b>What is stored.</b> Each step's result is a checkpoint of the named run
 * {@code pipeline-NAME} in Rewind's store (see {@code rewind steps NAME}), labelled with the step's
 * name; the newest {@link Builder#keep(int)} versions per step are kept. Results must be
 * serializable by Rewind (any object graph without threads, streams, sockets or class loaders;
 * no {@code Serializable} needed).
 *
 * <p><b>Requirements.</b> No agent: this works in any JVM with Rewind's jar on the class path. The
 * serializer needs JDK internals; without the JVM options in the README Rewind attaches its own
 * jar as an agent once (a few hundred milliseconds, and a warning on JDK 21+). Close the pipeline
 * (try-with-resources) so that its results are on disk when the program ends. A pipeline is for
 * one thread, and one process at a time: a second process opening the same name fails until the
 * first closes.
 */
public final class Pipeline implements AutoCloseable {
    /**
     * A step body without input. Serializable so that javac names the method holding a lambda's
     * code, which Rewind fingerprints; the lambda is never serialized.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface StepBody<T> extends Serializable {
        /**
         * @return the step's result, stored for the next run
         * @throws Exception anything; nothing is stored then
         */
        T run() throws Exception;
    }

    /**
     * A step body with one input, typically an earlier step's result.
     *
     * @param <I> the input type
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface StepFunction<I, T> extends Serializable {
        /**
         * @param input the value passed to {@link #step(String, Object, StepFunction)}
         * @return the step's result, stored for the next run
         * @throws Exception anything; nothing is stored then
         */
        T apply(I input) throws Exception;
    }

    /**
     * A step body with two inputs.
     *
     * @param <A> the first input's type
     * @param <B> the second input's type
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface StepFunction2<A, B, T> extends Serializable {
        /**
         * @param first the first value passed to {@link #step(String, Object, Object, StepFunction2)}
         * @param second the second one
         * @return the step's result, stored for the next run
         * @throws Exception anything; nothing is stored then
         */
        T apply(A first, B second) throws Exception;
    }

    private final PipelineRun run;

    private Pipeline(PipelineRun run) {
        this.run = run;
    }

    /**
     * Opens the pipeline with the defaults: the default store ({@code $REWIND_STORE}, else
     * {@code ${XDG_CACHE_HOME:-~/.cache}/rewind}), signed results only, two versions kept per step,
     * one line per step printed to standard error.
     *
     * @param name the pipeline's name, which identifies its stored results across runs
     * @return the open pipeline; close it when done
     * @throws RewindException when the store cannot be opened, another process has the pipeline
     *     open, or the JDK access the serializer needs cannot be had (the message names the JVM
     *     options to add)
     */
    public static Pipeline open(String name) {
        return builder(name).open();
    }

    /**
     * @param name the pipeline's name, which identifies its stored results across runs
     * @return a builder for a pipeline with other settings than {@link #open(String)}'s
     */
    public static Builder builder(String name) {
        return new Builder(Objects.requireNonNull(name, "name"));
    }

    /**
     * Runs a step without input, or returns its stored result (see the class comment for when).
     *
     * @param name the step's name, unique within the pipeline
     * @param body the step's code; a lambda or method reference (its captured values count as inputs)
     * @param <T> the result type
     * @return the body's result, or an equal copy of it read from the store
     * @throws StepFailedException when the body threw a checked exception (its cause); unchecked
     *     exceptions and errors from the body propagate unchanged. Nothing is stored in either case
     * @throws CheckpointRefusedException when the result or a captured value cannot be serialized
     * @throws IllegalArgumentException when the name is blank or was used before in this run
     * @throws RewindException when the step's code cannot be read to fingerprint it
     */
    public <T> T step(String name, StepBody<T> body) {
        Objects.requireNonNull(body, "body");
        return run.step(name, body, Arrays.asList(), body::run);
    }

    /**
     * Runs a step on one input, or returns its stored result (see the class comment for when). An
     * input that is an earlier step's result (the same object) makes this step depend on that one,
     * which {@code rewind rerun} follows.
     *
     * @param name the step's name, unique within the pipeline
     * @param input the step's input, hashed by content; may be null
     * @param body the step's code
     * @param <I> the input type
     * @param <T> the result type
     * @return the body's result, or an equal copy of it read from the store
     * @throws StepFailedException as {@link #step(String, StepBody)}
     * @throws CheckpointRefusedException when the input or the result cannot be serialized
     * @throws IllegalArgumentException when the name is blank or was used before in this run
     * @throws RewindException when the step's code cannot be read to fingerprint it
     */
    public <I, T> T step(String name, I input, StepFunction<I, T> body) {
        Objects.requireNonNull(body, "body");
        return run.step(name, body, Arrays.asList(input), () -> body.apply(input));
    }

    /**
     * Runs a step on two inputs, or returns its stored result; as {@link #step(String, Object, StepFunction)}.
     *
     * @param name the step's name, unique within the pipeline
     * @param first the first input, hashed by content; may be null
     * @param second the second input, hashed by content; may be null
     * @param body the step's code
     * @param <A> the first input's type
     * @param <B> the second input's type
     * @param <T> the result type
     * @return the body's result, or an equal copy of it read from the store
     * @throws StepFailedException as {@link #step(String, StepBody)}
     * @throws CheckpointRefusedException when an input or the result cannot be serialized
     * @throws IllegalArgumentException when the name is blank or was used before in this run
     * @throws RewindException when the step's code cannot be read to fingerprint it
     */
    public <A, B, T> T step(String name, A first, B second, StepFunction2<A, B, T> body) {
        Objects.requireNonNull(body, "body");
        return run.step(name, body, Arrays.asList(first, second), () -> body.apply(first, second));
    }

    /**
     * Waits until the results of the steps that ran are on disk, clears the {@code rewind rerun}
     * marks of those steps, removes versions beyond {@link Builder#keep(int)} and lets other
     * processes open the pipeline. Calling it again does nothing.
     *
     * @throws RewindException when a result could not be written; that step runs again next time
     */
    @Override
    public void close() {
        run.close();
    }

    /** Settings of a pipeline other than {@link #open(String)}'s defaults. */
    public static final class Builder {
        private final String name;
        private Path store;
        private boolean trust;
        private int keep = 2;
        private boolean log = true;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * @param root the store folder (default: {@code $REWIND_STORE}, else
         *     {@code ${XDG_CACHE_HOME:-~/.cache}/rewind})
         * @return this
         */
        public Builder store(Path root) {
            this.store = Objects.requireNonNull(root, "root");
            return this;
        }

        /**
         * @param trust whether to reuse results not signed with the user's key (copied from another
         *     user or machine); reading a result creates the objects it describes, so trust only
         *     stores you know (default false: such results are ignored and the step runs again)
         * @return this
         */
        public Builder trust(boolean trust) {
            this.trust = trust;
            return this;
        }

        /**
         * @param versions how many results to keep per step, newest first (default 2); older ones
         *     are removed when the pipeline closes
         * @return this
         * @throws IllegalArgumentException when less than 1
         */
        public Builder keep(int versions) {
            if (versions < 1) {
                throw new IllegalArgumentException("keep must be at least 1, not " + versions);
            }
            this.keep = versions;
            return this;
        }

        /**
         * @param log whether to print one line per step to standard error, e.g.
         *     {@code [rewind] step 'clean': reused (cached 2026-01-05T10:00:00Z)} or
         *     {@code [rewind] step 'clean': ran in 1.2 s (code changed)} (default true)
         * @return this
         */
        public Builder log(boolean log) {
            this.log = log;
            return this;
        }

        /**
         * @return the open pipeline; close it when done
         * @throws RewindException as {@link Pipeline#open(String)}
         */
        public Pipeline open() {
            return new Pipeline(new PipelineRun(name, store != null ? store : Store.defaultRoot(), trust, keep,
                log ? System.err : null));
        }
    }
}
