package dev.rewind.cli;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import java.util.ArrayList;
import java.util.List;

/** Finds pipelines and checkpoints by the names users type: a pipeline's name, a step's name, a number. */
final class Pipelines {
    private Pipelines() {
    }

    /**
     * @return the run of the pipeline named {@code name} (or with that run id)
     * @throws RewindException naming the pipelines the store has, when there is none by that name
     */
    static Run find(Store store, String name) {
        List<String> names = new ArrayList<>();
        for (Run r : store.runs()) {
            if (r.info().kind().equals("pipeline")) {
                if (r.info().name().equals(name) || r.id().equals(name)) {
                    return r;
                }
                names.add(r.info().name());
            }
        }
        throw new RewindException("no pipeline '" + name + "' in store " + store.root() + (names.isEmpty()
            ? ": it has none yet (a program creates one with Pipeline.open(\"" + name + "\"))"
            : "; its pipelines: " + String.join(", ", names)));
    }

    /**
     * @return the run with this id or unique prefix, else the pipeline with this name
     * @throws RewindException when neither exists
     */
    static Run runOrPipeline(Store store, String idOrName) {
        try {
            return store.run(idOrName);
        } catch (RewindException e) {
            for (Run r : store.runs()) {
                if (r.info().kind().equals("pipeline") && r.info().name().equals(idOrName)) {
                    return r;
                }
            }
            throw e;
        }
    }

    /**
     * @param which a checkpoint number ("3" or "0003"), or a label (a step's name): the newest
     *     checkpoint with that label
     * @return the checkpoint
     * @throws CorruptCheckpointException when the run has none such (exit code {@link Main#NO_CHECKPOINT})
     */
    static CheckpointEntry checkpoint(Run run, String which) {
        List<CheckpointEntry> all = run.checkpoints();
        if (which.matches("\\d{1,9}")) {
            for (CheckpointEntry e : all) {
                if (e.sequence() == Integer.parseInt(which)) {
                    return e;
                }
            }
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            CheckpointEntry e = all.get(i);
            try {
                CheckpointManifest m = run.manifest(e);
                if (m.label().equals(which)) {
                    return e;
                }
            } catch (RewindException unusable) {
                if (e.label().equals(which)) {
                    return e; // let the caller report what is wrong with it
                }
            }
        }
        throw new CorruptCheckpointException("run " + run.id() + " has no checkpoint '" + which + "' (see `rewind show "
            + run.id() + "`)");
    }
}
