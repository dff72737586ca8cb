package dev.rewind.cli;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.format.CheckpointFile;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "Run id or unique prefix (default: the newest run"
        + " that has checkpoints).")
    String runId;

    @Option(names = "--from", paramLabel = "CHECKPOINT",
        description = "Checkpoint number (e.g. 3), file name, or path (default: the newest that verifies).")
    String from;

    @Override
    public Integer call() {
        RunStore s = store.open();
        Run run = runId != null ? s.run(runId) : newestWithCheckpoints(s);
        Path checkpoint = from != null ? named(run, from) : newestUsable(run);
        CheckpointHeader header = CheckpointFile.readHeader(checkpoint);
        System.err.println("[rewind] resuming run " + run.id() + " from checkpoint " + checkpoint.getFileName()
            + " (\"" + header.label() + "\")");
        JavaCommand java = JavaCommand.parse(run.command());
        AgentOptions options = new AgentOptions(s.root().toString(), run.id(), checkpoint.toString());
        return Launcher.runInheritingIo(java.with(Launcher.rewindOptions(options, true)), run.workingDirectory());
    }

    private static Run newestWithCheckpoints(RunStore s) {
        List<Run> runs = new ArrayList<>(s.runs());
        Collections.reverse(runs);
        for (Run r : runs) {
            if (!r.checkpoints().isEmpty()) {
                return r;
            }
        }
        throw new CorruptCheckpointException("no run in store " + s.root() + " has a checkpoint yet; start one with"
            + " `rewind run -- java ...`");
    }

    private static Path named(Run run, String from) {
        Path direct = Path.of(from);
        if (from.contains("/") && Files.isRegularFile(direct)) {
            CheckpointFile.verify(direct);
            return direct;
        }
        for (Path p : run.checkpoints()) {
            String name = p.getFileName().toString();
            if (name.equals(from) || from.matches("\\d+") && Run.sequence(p) == Integer.parseInt(from)) {
                CheckpointFile.verify(p);
                return p;
            }
        }
        throw new CorruptCheckpointException("run " + run.id() + " has no checkpoint '" + from + "' (see `rewind ls`)");
    }

    private static Path newestUsable(Run run) {
        List<Path> all = new ArrayList<>(run.checkpoints());
        Collections.reverse(all);
        for (Path p : all) {
            try {
                CheckpointFile.readHeader(p);
                CheckpointFile.verify(p);
                return p;
            } catch (RewindException e) {
                System.err.println("[rewind] skipping " + p.getFileName() + ": " + e.getMessage());
            }
        }
        throw new CorruptCheckpointException("run " + run.id() + " has no usable checkpoint");
    }
}
