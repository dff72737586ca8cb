package dev.rewind.cli;

import dev.rewind.internal.store.GarbageCollector;
import dev.rewind.internal.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import static dev.rewind.internal.store.StoreOptions.human;

/** {@code rewind gc}: removes chunks no checkpoint uses and temporary files of dead writers. */
@Command(name = "gc", mixinStandardHelpOptions = true,
    description = "Remove chunks that no checkpoint uses, and temporary files left by killed writers. Waits for"
        + " checkpoints being written to finish.")
final class GcCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        Store s = store.open();
        GarbageCollector.Result r = GarbageCollector.collect(s, true).orElseThrow();
        System.out.println("removed " + r.chunks() + " unused chunk(s) (" + human(r.bytes()) + ") and "
            + r.temporaries() + " temporary file(s) from " + s.root());
        return 0;
    }
}
