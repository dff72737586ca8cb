package dev.rewind.cli;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.UntrustedCheckpointException;
import dev.rewind.internal.format.HeaderCodec;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.launch.ClassPathFingerprint;
import dev.rewind.internal.launch.JavaCommand;
import dev.rewind.internal.runtime.RewindRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rewind resume}: starts a run's command again from a checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Resume a run from its newest usable checkpoint (or the one named), in a fresh JVM.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    WriteOptions write;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "Run id or unique prefix (default: the newest run"
        + " that has checkpoints).")
    String runId;

    @Option(names = "--from", paramLabel = "CHECKPOINT",
        description = "Checkpoint number (e.g. 3), file name, or path (default: the newest that verifies).")
    String from;

    @Override
    public Integer call() {
        Store s = store.open(write.bounds());
        Run run = runId != null ? s.run(runId) : newestWithCheckpoints(s);
        if (!run.info().kind().equals("run")) {
            throw new RewindException(run.id() + " holds saved " + run.info().kind() + "s of the Java API, not a program"
                + " run; it is resumed by running the program again");
        }
        JavaCommand java = JavaCommand.parse(run.info().command());
        String code = ClassPathFingerprint.of(java.codePaths(run.info().workingDirectory()));
        if (!run.info().codeFingerprint().isEmpty() && !code.equals(run.info().codeFingerprint())) {
            System.err.println("[rewind] note: the program's class files changed since the run started; the frames on"
                + " the saved chain are checked as they are restored");
        }
        Set<CheckpointEntry> damaged = new HashSet<>();
        while (true) {
            CheckpointEntry entry = from != null ? named(run, from) : newestUsable(run, damaged);
            CheckpointManifest manifest = run.manifest(entry);
            System.err.println("[rewind] resuming run " + run.id() + " from checkpoint " + entry.id()
                + " (\"" + manifest.label() + "\")");
            int exit = Launcher.runInheritingIo(Launcher.command(java,
                write.agentOptions(s.root().toString(), run.id(), entry.file().toString(), store.trust), true),
                run.info().workingDirectory());
            if (exit != RewindRuntime.DAMAGED_EXIT_CODE) {
                return exit;
            }
            // the program found the data damaged as it read it, before any of its code ran: name the chunk
            // (a full read, only now: a good checkpoint is read once, by the program) and try an older one
            try {
                run.verify(manifest);
                return exit; // every chunk is whole: what failed was not the data, and an older checkpoint would not help
            } catch (CorruptCheckpointException bad) {
                if (from != null) {
                    throw bad;
                }
                System.err.println("[rewind] skipping checkpoint " + entry.id() + ": " + bad.getMessage());
                damaged.add(entry);
            }
        }
    }

    private static Run newestWithCheckpoints(Store s) {
        List<Run> runs = new ArrayList<>(s.runs());
        Collections.reverse(runs);
        for (Run r : runs) {
            if (r.info().kind().equals("run") && !r.checkpoints().isEmpty()) {
                return r;
            }
        }
        throw new CorruptCheckpointException("no run in store " + s.root() + " has a checkpoint yet; start one with"
            + " `rewind run -- java ...`");
    }

    private static CheckpointEntry named(Run run, String from) {
        for (CheckpointEntry e : run.checkpoints()) {
            String name = e.file().getFileName().toString();
            if (name.equals(from) || e.file().toString().equals(from)
                    || from.contains("/") && e.file().equals(Path.of(from).toAbsolutePath().normalize())
                    || from.matches("\\d{1,9}") && e.sequence() == Integer.parseInt(from)) {
                check(run, e);
                return e;
            }
        }
        throw new CorruptCheckpointException("run " + run.id() + " has no checkpoint '" + from + "' (see `rewind ls`)");
    }

    private static CheckpointEntry newestUsable(Run run, Set<CheckpointEntry> damaged) {
        List<CheckpointEntry> all = new ArrayList<>(run.checkpoints());
        all.removeAll(damaged);
        Collections.reverse(all);
        List<String> untrusted = new ArrayList<>();
        for (CheckpointEntry e : all) {
            try {
                check(run, e);
                return e;
            } catch (UntrustedCheckpointException u) {
                untrusted.add(e.id());
                System.err.println("[rewind] skipping checkpoint " + e.id() + ": " + u.getMessage());
            } catch (RewindException bad) {
                System.err.println("[rewind] skipping checkpoint " + e.id() + ": " + bad.getMessage());
            }
        }
        if (!untrusted.isEmpty()) {
            throw new UntrustedCheckpointException("run " + run.id() + " has no checkpoint signed with your key ("
                + untrusted.size() + " unsigned or signed by another key); pass --trust to resume one anyway");
        }
        throw new CorruptCheckpointException("run " + run.id() + " has no usable checkpoint"
            + (all.isEmpty() && damaged.isEmpty() ? " yet" : ": all " + (all.size() + damaged.size())
                + " are damaged (see above)"));
    }

    /**
     * Checks the manifest (its signature), the header and that every chunk file is there at its
     * length. The chunks' contents are checked by the program as it reads them, before any of its
     * code runs; reading them here as well cost a second full read of the checkpoint (2.5-3 s of a
     * 1 GiB resume).
     */
    private static void check(Run run, CheckpointEntry e) {
        CheckpointManifest m = run.manifest(e);
        HeaderCodec.decode(e.file(), m.meta()); // the JDK is checked by the agent, in the JVM that resumes
        run.checkPresent(m);
    }
}
