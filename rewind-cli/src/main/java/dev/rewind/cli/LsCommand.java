package dev.rewind.cli;

import dev.rewind.RewindException;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.format.HeaderCodec;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreUsage;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import static dev.rewind.internal.store.StoreOptions.human;

/** {@code rewind ls}: lists runs and their checkpoints, with sizes and deduplication. */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List runs and their checkpoints: size of the state, bytes each checkpoint added to the store,"
        + " and the store's deduplication ratio.")
final class LsCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "Only this run (id or unique prefix).")
    String runId;

    @Override
    public Integer call() {
        Store s = store.open();
        List<Run> runs = runId != null ? List.of(s.run(runId)) : s.runs();
        java.util.Map<String, String> unreadable = runId != null ? java.util.Map.of() : s.unreadableRuns();
        if (runs.isEmpty() && unreadable.isEmpty()) {
            System.out.println("no runs in " + s.root());
            return 0;
        }
        unreadable.forEach((id, why) -> System.out.println(id + "  UNUSABLE: " + why));
        for (Run r : runs) {
            System.out.println(r.id() + "  " + r.info().kind() + "  started " + r.info().started() + "  "
                + (r.info().command().isEmpty() ? r.info().name() : String.join(" ", r.info().command())));
            for (CheckpointEntry e : r.checkpoints()) {
                System.out.println("  " + describe(r, e));
            }
        }
        StoreUsage u = StoreUsage.of(s);
        System.out.printf(Locale.ROOT, "store %s: %d checkpoint(s), %s of state in %s of chunks (dedup ratio %.1fx)%n",
            s.root(), u.checkpoints(), human(u.stateBytes()), human(u.chunkBytes()), u.dedupRatio());
        return 0;
    }

    static String describe(Run run, CheckpointEntry e) {
        try {
            CheckpointManifest m = run.manifest(e);
            String where = "";
            if (run.info().kind().equals("run")) {
                CheckpointHeader h = HeaderCodec.decode(e.file(), m.meta());
                where = h.frames().isEmpty() ? "" : "  at " + h.frames().get(h.frames().size() - 1).where();
            }
            return String.format(Locale.ROOT, "%s  %-20s %10s state %10s added  %s%s", e.id(), '"' + m.label() + '"',
                human(m.rawSize()), human(m.addedBytes()), m.time(), where);
        } catch (RewindException x) {
            return e.id() + "  UNUSABLE: " + x.getMessage();
        }
    }
}
