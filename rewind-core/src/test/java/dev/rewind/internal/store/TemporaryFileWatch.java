package dev.rewind.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Tells when a writer process creates a temporary file in a store's chunk folders or a run's
 * checkpoints folder (inotify on Linux), so that a kill can be aimed at a file being written.
 */
final class TemporaryFileWatch implements AutoCloseable {
    private final WatchService watch;
    private final Path chunks;
    private final BlockingQueue<String> created = new LinkedBlockingQueue<>();
    private final Thread thread;

    /** Watches {@code store}'s chunk folders and {@code run}'s checkpoints folder, creating them if need be. */
    TemporaryFileWatch(Store store, Run run) {
        try {
            this.chunks = store.root().resolve("chunks");
            DurableFiles.privateDirectories(chunks);
            Path checkpoints = run.dir().resolve("checkpoints");
            DurableFiles.privateDirectories(checkpoints);
            this.watch = chunks.getFileSystem().newWatchService();
            checkpoints.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            chunks.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(chunks)) {
                for (Path f : folders) {
                    if (Files.isDirectory(f)) {
                        f.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::pump, "temporary-file-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump() {
        try {
            while (true) {
                WatchKey key = watch.take();
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() != StandardWatchEventKinds.ENTRY_CREATE) {
                        continue; // overflow: some events lost, which only costs an aim
                    }
                    Path name = (Path) e.context();
                    if (name.toString().startsWith(DurableFiles.TEMP_PREFIX)) {
                        created.add(name.toString());
                    } else if (dir.equals(chunks) && Files.isDirectory(dir.resolve(name))) {
                        try {
                            dir.resolve(name).register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                        } catch (IOException gone) {
                            // not watched: fewer aims
                        }
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException end) {
            // closed
        }
    }

    /**
     * Waits until process {@code pid} creates a temporary file whose name ends with {@code suffix}
     * ({@code ""} for any, {@link CheckpointEntry#SUFFIX} for a manifest). Files it created before
     * this call do not count: they may be gone already.
     *
     * @return whether it did within the time
     */
    boolean await(long pid, String suffix, long timeout, TimeUnit unit) throws InterruptedException {
        created.clear();
        String prefix = DurableFiles.TEMP_PREFIX + pid + "-";
        long end = System.nanoTime() + unit.toNanos(timeout);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            String name = created.poll(left, TimeUnit.NANOSECONDS);
            if (name != null && name.startsWith(prefix) && name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
