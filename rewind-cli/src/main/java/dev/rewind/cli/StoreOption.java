package dev.rewind.cli;

import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store} and {@code --trust} options shared by every subcommand that reads the store. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
        description = "Checkpoint store (default: $REWIND_STORE, else ${XDG_CACHE_HOME:-~/.cache}/rewind).")
    Path store;

    @Option(names = "--trust", description = "Accept checkpoints not signed with your key (written by another user or"
        + " machine, or edited). Loading a checkpoint creates objects as it says: trust only what you know.")
    boolean trust;

    Store open() {
        return open(StoreOptions.defaults());
    }

    Store open(StoreOptions bounds) {
        return Store.open(root(), new StoreOptions(bounds.keep(), bounds.maxSize(), bounds.quota(), trust,
            bounds.writeBuffer()));
    }

    Path root() {
        return store != null ? store : Store.defaultRoot();
    }
}
