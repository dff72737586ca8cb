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

/**
 * Keeps two processes from writing checkpoints into the same run: an OS lock on the run's
 * {@code writer.lock}, held by the writing process until it exits or closes the run. The file also
 * names the holder, for the message the second process prints. The OS drops the lock when a
 * process dies, so a killed writer never leaves the run locked.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = "writer.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws RewindException naming the process that holds the run, when another one does
     */
    static RunLock acquire(Path runDir, String runId) {
        Path file = runDir.resolve(FILE);
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
                throw new RewindException("run " + runId + " is being written by another process"
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + ". Two processes cannot checkpoint into one run: "
                    + "wait for it to end, or stop it, then resume.");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + Hosts.name())
                .getBytes(StandardCharsets.UTF_8)));
            return new RunLock(ch, lock);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
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
        }
    }
}
