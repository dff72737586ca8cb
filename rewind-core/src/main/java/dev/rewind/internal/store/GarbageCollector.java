package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes what no published checkpoint uses: chunk files no manifest lists (left by removed or
 * evicted checkpoints, or by writers killed mid-checkpoint), and temporary files of processes that
 * are gone. Runs under the exclusive {@link CollectorLock}, so it never races a writer that has
 * just decided to reuse a chunk.
 */
public final class GarbageCollector {
    /** How much later than a temporary file a process must have started to prove its id was reused. */
    private static final Duration PID_REUSE_MARGIN = Duration.ofSeconds(10);

    /**
     * What a collection removed.
     *
     * @param chunks chunk files removed
     * @param bytes bytes they took
     * @param temporaries stale temporary files removed
     */
    public record Result(int chunks, long bytes, int temporaries) {
    }

    private GarbageCollector() {
    }

    /**
     * @param wait wait for checkpoints being written to finish (else give up and return empty)
     * @return what was removed, or empty when writers kept the collector out
     */
    public static Optional<Result> collect(Store store, boolean wait) {
        Result[] out = new Result[1];
        try {
            boolean ran = store.collectorLock().collect(wait, () -> out[0] = sweep(store));
            return ran ? Optional.of(out[0]) : Optional.empty();
        } catch (IOException e) {
            throw new RewindException("cannot collect unused chunks in store " + store.root() + ": " + e, e);
        }
    }

    private static Result sweep(Store store) throws IOException {
        Set<ChunkId> used = new HashSet<>();
        // every run folder, not store.runs(): a run whose own manifest is damaged or signed with another key
        // (copied from elsewhere, or the key was made anew) still has checkpoints the user may repair or --trust
        for (CheckpointEntry e : allCheckpoints(store.root().resolve("runs"))) {
            try {
                // trusted for marking: an unsigned manifest's chunks are kept, the user may --trust it
                for (ChunkRef c : CheckpointManifest.read(e.file(), store.key(), true).chunks()) {
                    used.add(c.id());
                }
            } catch (RewindException damaged) {
                // a damaged manifest cannot be loaded; its chunks are free
            }
        }
        int[] removed = new int[2];
        long[] bytes = new long[1];
        store.chunks().forEach((file, size) -> {
            String name = file.getFileName().toString();
            if (name.startsWith(DurableFiles.TEMP_PREFIX)) {
                if (staleTemporary(file)) {
                    DurableFiles.deleteQuietly(file);
                    removed[1]++;
                }
                return;
            }
            ChunkId id;
            try {
                id = ChunkId.fromHex(name);
            } catch (IllegalArgumentException stray) {
                return; // not ours: leave it
            }
            if (!used.contains(id)) {
                DurableFiles.deleteQuietly(file);
                removed[0]++;
                bytes[0] += size;
            }
        });
        removed[1] += removeStaleTemporaries(store.root().resolve("runs"));
        return new Result(removed[0], bytes[0], removed[1]);
    }

    /** @return the checkpoint manifests of every folder in {@code runs}, whatever state its run manifest is in */
    private static List<CheckpointEntry> allCheckpoints(Path runs) throws IOException {
        List<CheckpointEntry> out = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs)) {
            for (Path run : dirs) {
                out.addAll(CheckpointEntry.list(run.resolve("checkpoints")));
            }
        }
        return out;
    }

    private static int removeStaleTemporaries(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> all = Files.walk(runs, 3)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX) && staleTemporary(p)) {
                    DurableFiles.deleteQuietly(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** Temporary files are named {@code .tmp-PID-...}: stale when that process is gone. */
    static boolean staleTemporary(String name) {
        long pid = writerOf(name);
        return pid >= 0 && pid != ProcessHandle.current().pid()
            && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * A temporary file is stale when the process that wrote it is gone, or when its process id now
     * belongs to a process (or thread: Linux numbers both alike) that started after the file was
     * last written: ids are reused, and a killed writer's leftovers would otherwise stay until that
     * unrelated process ends. Start times are known to about a second, hence the margin.
     */
    static boolean staleTemporary(Path file) {
        String name = file.getFileName().toString();
        if (staleTemporary(name)) {
            return true;
        }
        long pid = writerOf(name);
        if (pid < 0 || pid == ProcessHandle.current().pid()) {
            return false;
        }
        Optional<Instant> started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
        try {
            return started.isPresent()
                && started.get().isAfter(Files.getLastModifiedTime(file).toInstant().plus(PID_REUSE_MARGIN));
        } catch (IOException gone) {
            return false;
        }
    }

    /** @return the process id in a temporary file's name, or -1 */
    private static long writerOf(String name) {
        String rest = name.substring(DurableFiles.TEMP_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
