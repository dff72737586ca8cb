package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps two processes from writing checkpoints into the same run: an OS lock on the run's
 * {@code writer.lock}, held by the writing process until it exits or closes the run. The file also
 * names the holder, for the message the second process prints. The OS drops the lock when a
 * process dies, so a killed writer never leaves the run locked.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = "writer.lock";
    /**
     * Lock files (real paths) this JVM holds. Checked before the file is opened at all: the OS lock is
     * per process, and closing any descriptor of the file, even one opened just to read it, drops it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;

    private RunLock(FileChannel channel, FileLock lock, Path key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    private static Path key(Path runDir) {
        try {
            return runDir.toRealPath().resolve(FILE);
        } catch (IOException e) {
            return runDir.toAbsolutePath().normalize().resolve(FILE);
        }
    }

    /**
     * @throws RewindException naming the process that holds the run, when another one does
     */
    static RunLock acquire(Path runDir, String runId) {
        Path file = runDir.resolve(FILE);
        Path key = key(runDir);
        if (!HELD.add(key)) {
            throw new RewindException("run " + runId + " is being written by this process already (pid "
                + ProcessHandle.current().pid() + "), through another store object for " + runDir.getParent()
                + ". Two writers cannot checkpoint into one run.");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), DurableFiles.PRIVATE_FILE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM already
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                ch.close();
                HELD.remove(key);
                throw new RewindException("run " + runId + " is being written by another process"
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + ". Two processes cannot checkpoint into one run: "
                    + "wait for it to end, or stop it, then resume.");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + Hosts.name())
                .getBytes(StandardCharsets.UTF_8)));
            return new RunLock(ch, lock, key);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            if (e instanceof RewindException) {
                throw (RewindException) e;
            }
            // runs/RUN/writer.lock: name the store, the folder a user chose with --store
            throw new RewindException("cannot lock run " + runId + " in store " + runDir.getParent().getParent() + " ("
                + file + "): " + e + ". Check that the store is writable, or choose another with --store.", e);
        }
    }

    /** @return whether some process (this one included) holds the run's lock */
    static boolean isHeld(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        if (HELD.contains(key(runDir))) {
            return true; // opening the file here would drop this JVM's lock when closed
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            HELD.remove(key);
        }
    }
}
