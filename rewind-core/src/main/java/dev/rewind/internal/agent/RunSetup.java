package dev.rewind.internal.agent;

import dev.rewind.RewindException;
import dev.rewind.internal.launch.ClassPathFingerprint;
import dev.rewind.internal.launch.JavaCommand;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The run of a program started by {@code rewind run}, created when the program takes its first
 * checkpoint. Creating it (the store, the user's key, the code fingerprint and a durable, signed run
 * manifest) costs about 200 ms of cold JDK start-up (JCA providers, host name lookup, fsync), which a
 * program that never checkpoints should not pay, and which slowed a CPU-bound program even on a
 * background thread, since it competes with the JIT for the second core. At start only the store
 * folder is checked, so that a wrong {@code --store} fails before the program runs.
 */
final class RunSetup implements Supplier<Run> {
    private final AgentOptions options;
    private final List<String> command;
    private final JavaCommand java;
    private final Path cwd;

    private RunSetup(AgentOptions options, List<String> command, JavaCommand java) {
        this.options = options;
        this.command = command;
        this.java = java;
        this.cwd = Path.of("").toAbsolutePath();
    }

    /**
     * @param command the user's command, already checked by {@link JavaCommand#parse}
     * @throws RewindException when the store folder cannot be created or written
     */
    static RunSetup prepare(AgentOptions options, List<String> command, JavaCommand java) {
        checkWritable(options.storeRoot().toAbsolutePath());
        return new RunSetup(options, command, java);
    }

    /**
     * Creates the run; {@link dev.rewind.internal.runtime.RewindRuntime#run()} calls it once, at the
     * first checkpoint, and again at the next one if it failed.
     *
     * @return the new run
     * @throws RewindException when it cannot be created
     */
    @Override
    public Run get() {
        Store store = Store.open(options.storeRoot(), options.storeOptions());
        Run run = store.createRun(RunInfo.now("run", java.mainName(), command, cwd,
            ClassPathFingerprint.of(java.codePaths(cwd))));
        System.err.println("[rewind] run " + run.id() + " (checkpoints in " + run.dir() + ")");
        return run;
    }

    /** The store folder, or the nearest folder above it that exists, must be a folder this user can write. */
    static void checkWritable(Path root) {
        Path p = root;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p)) {
            throw new RewindException("cannot use the store " + root + ": " + (p == null ? "no folder above it exists"
                : p + " is not a folder") + "; pass --store with a folder");
        }
        if (!Files.isWritable(p) || !Files.isExecutable(p)) {
            throw new RewindException("cannot use the store " + root + ": " + p + " is not writable by this user;"
                + " pass --store with a folder you can write");
        }
    }
}
