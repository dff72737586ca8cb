package dev.rewind.cli;

import dev.rewind.RewindException;
import dev.rewind.internal.format.CheckpointFile;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rewind ls}: lists runs and their checkpoints. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List runs and their checkpoints.")
final class LsCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        RunStore s = store.open();
        List<Run> runs = s.runs();
        if (runs.isEmpty()) {
            System.out.println("no runs in " + s.root());
            return 0;
        }
        for (Run r : runs) {
            System.out.println(r.id() + "  started " + r.started() + "  " + String.join(" ", r.command()));
            for (Path p : r.checkpoints()) {
                System.out.println("  " + describe(p));
            }
        }
        return 0;
    }

    static String describe(Path p) {
        long size;
        try {
            size = Files.size(p);
        } catch (IOException e) {
            size = -1;
        }
        try {
            CheckpointHeader h = CheckpointFile.readHeader(p);
            String where = h.frames().isEmpty() ? "?" : h.frames().get(h.frames().size() - 1).where();
            return String.format("%04d  %-20s %10s  %s  at %s", h.sequence(), '"' + h.label() + '"', bytes(size),
                Instant.ofEpochMilli(h.timeMillis()), where);
        } catch (RewindException e) {
            return p.getFileName() + "  UNUSABLE: " + e.getMessage();
        }
    }

    static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
