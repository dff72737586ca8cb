package dev.rewind.cli;

import dev.rewind.internal.store.RunStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by every subcommand. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
        description = "Checkpoint store (default: $REWIND_STORE, else ${XDG_CACHE_HOME:-~/.cache}/rewind).")
    Path store;

    RunStore open() {
        return new RunStore(store != null ? store : RunStore.defaultRoot());
    }
}
