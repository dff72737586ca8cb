package dev.rewind.cli;

import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.store.StoreOptions;
import picocli.CommandLine.Option;

/** How a program's checkpoints are written and bounded: options of {@code run} and {@code resume}. */
final class WriteOptions {
    @Option(names = "--keep", paramLabel = "N", description = "Keep only the newest N checkpoints of the run"
        + " (default: all, or keep= in the store's config.properties).")
    int keep;

    @Option(names = "--max-size", paramLabel = "SIZE", description = "Refuse a checkpoint larger than SIZE (e.g. 2G);"
        + " the program goes on.")
    String maxSize;

    @Option(names = "--quota", paramLabel = "SIZE", description = "Bound the whole store to SIZE (e.g. 20G): the oldest"
        + " checkpoints of any run go first, never the newest usable one of a run.")
    String quota;

    @Option(names = "--on-write-error", paramLabel = "continue|stop", defaultValue = "continue",
        description = "When a checkpoint cannot be written (disk full, I/O error): go on (default) or stop the program.")
    String onWriteError;

    @Option(names = "--sync", description = "Make every checkpoint call wait until its checkpoint is on disk"
        + " (default: written in the background).")
    boolean sync;

    /** @throws UsageException on a bad value */
    StoreOptions bounds() {
        if (keep < 0) {
            throw new UsageException("--keep must be 0 (all) or more, not " + keep);
        }
        if (!onWriteError.equals("continue") && !onWriteError.equals("stop")) {
            throw new UsageException("--on-write-error must be continue or stop, not '" + onWriteError + "'");
        }
        try {
            return new StoreOptions(keep, maxSize == null ? 0 : StoreOptions.parseSize(maxSize, "--max-size"),
                quota == null ? 0 : StoreOptions.parseSize(quota, "--quota"), false, StoreOptions.DEFAULT_WRITE_BUFFER);
        } catch (dev.rewind.RewindException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** @return the agent options for a program writing into {@code run} of {@code store} */
    AgentOptions agentOptions(String store, String run, String resume, boolean trust) {
        StoreOptions b = bounds();
        return new AgentOptions(store, run, resume, trust, b.keep(), b.maxSize(), b.quota(), onWriteError, sync, false,
            0);
    }

    /** @return the agent options for a program whose agent creates a new run in {@code store} */
    AgentOptions newRunOptions(String store, boolean trust) {
        StoreOptions b = bounds();
        return new AgentOptions(store, null, null, trust, b.keep(), b.maxSize(), b.quota(), onWriteError, sync, true, 0);
    }
}
