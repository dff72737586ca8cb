package dev.rewind.cli;

import dev.rewind.RewindException;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.GarbageCollector;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import static dev.rewind.internal.store.StoreOptions.human;

/** {@code rewind rm}: removes runs or single checkpoints, then the chunks nothing uses any more. */
@Command(name = "rm", mixinStandardHelpOptions = true,
    description = "Remove a run, or some of its checkpoints, and free the chunks no other checkpoint uses.")
final class RmCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id or unique prefix.")
    String runId;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "CHECKPOINT",
        description = "Checkpoint numbers (e.g. 3) to remove; without any, the whole run goes.")
    List<String> checkpoints = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Store s = store.open();
        Run run = s.run(runId);
        if (checkpoints.isEmpty()) {
            run.removeAll();
            System.out.println("removed run " + run.id());
        } else {
            List<CheckpointEntry> all = run.checkpoints();
            List<CheckpointEntry> chosen = new ArrayList<>();
            for (String c : checkpoints) {
                CheckpointEntry match = null;
                for (CheckpointEntry e : all) {
                    if (c.matches("\\d{1,9}") && e.sequence() == Integer.parseInt(c)) {
                        match = e;
                    }
                }
                if (match == null) {
                    throw new UsageException("run " + run.id() + " has no checkpoint '" + c + "' (see `rewind ls`)");
                }
                chosen.add(match);
            }
            for (CheckpointEntry e : chosen) {
                run.remove(e);
                System.out.println("removed checkpoint " + e.id() + " of run " + run.id());
            }
        }
        GarbageCollector.collect(s, false).ifPresentOrElse(
            r -> System.out.println("freed " + human(r.bytes()) + " in " + r.chunks() + " chunk(s)"),
            () -> System.out.println("a checkpoint is being written: unused chunks stay until `rewind gc`"));
        return 0;
    }
}
