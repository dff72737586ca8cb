package dev.rewind.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Keeps the garbage collector from deleting a chunk that a checkpoint being written has just found
 * in the store and decided not to write again. Writers hold {@code STORE/gc.lock} shared while a
 * checkpoint is in flight; the collector takes it exclusive. A JVM holds at most one OS lock on the
 * file, so writers of one JVM share it through a count, and every handle on one store folder in a
 * JVM, whatever path it was opened by, shares one instance ({@link #of}).
 */
final class CollectorLock {
    private static final java.util.Map<Path, CollectorLock> BY_FOLDER = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private FileChannel channel;
    private FileLock shared;
    /** Checkpoints in flight in this JVM; they may start and end on different threads. */
    private int writers;
    private boolean collecting;

    private CollectorLock(Path storeRoot) {
        this.file = storeRoot.resolve("gc.lock");
    }

    /** @return the lock of the store in {@code storeRoot}, the same for every path to that folder */
    static CollectorLock of(Path storeRoot) {
        return BY_FOLDER.computeIfAbsent(DurableFiles.realPath(storeRoot), CollectorLock::new);
    }

    /** Marks the start of a checkpoint write; blocks while a collection runs. */
    synchronized void beginWrite() throws IOException {
        while (collecting) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the store's collector runs");
            }
        }
        if (writers == 0) {
            shared = channel().lock(0, Long.MAX_VALUE, true);
        }
        writers++;
    }

    /** Marks the end of a checkpoint write started with {@link #beginWrite()}, on any thread. */
    synchronized void endWrite() {
        if (--writers == 0) {
            try {
                shared.release();
            } catch (IOException ignored) {
                // the channel stays open; the lock goes with it at exit
            }
            shared = null;
            notifyAll();
        }
    }

    /**
     * Runs {@code collection} while no checkpoint is being written anywhere.
     *
     * @param wait whether to wait for writers to finish, or give up at once
     * @return whether it ran
     */
    boolean collect(boolean wait, IoAction collection) throws IOException {
        FileLock exclusive;
        synchronized (this) {
            while (writers > 0 || collecting) {
                if (!wait) {
                    return false;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            exclusive = wait ? channel().lock() : channel().tryLock();
            if (exclusive == null) {
                return false;
            }
            collecting = true;
        }
        try {
            collection.run();
            return true;
        } finally {
            synchronized (this) {
                collecting = false;
                exclusive.release();
                notifyAll();
            }
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            DurableFiles.privateDirectories(file.getParent());
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), DurableFiles.PRIVATE_FILE);
        }
        return channel;
    }

    /** An action that may fail with an IOException. */
    interface IoAction {
        void run() throws IOException;
    }
}
