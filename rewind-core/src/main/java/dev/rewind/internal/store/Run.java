package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One series of checkpoints in the store: a program run under {@code rewind run}, or the saved
 * versions of a named state or pipeline. Writing takes the run's {@link RunLock} for the life of
 * this JVM (or until {@link #close()}); reading needs no lock.
 */
public final class Run implements AutoCloseable {
    private final Store store;
    private final String id;
    private final Path dir;
    private final RunInfo info;
    private RunLock lock;
    private int nextSequence;
    private int lastPublished;
    /** Checkpoints kept by {@link Retention}: -1 for the store's {@code keep}, 0 for all. */
    private volatile int keep = -1;
    /**
     * Sequences published (the last few, and the newest found at lock time), to name a checkpoint's
     * parent when writers open at once are published out of their start order.
     */
    private final NavigableSet<Integer> publishedSequences = new TreeSet<>();

    Run(Store store, String id, Path dir, RunInfo info) {
        this.store = store;
        this.id = id;
        this.dir = dir;
        this.info = info;
    }

    /** @return the run's id, e.g. {@code 20261121-140501-3fa2} or {@code state-counter} */
    public String id() {
        return id;
    }

    /** @return its folder */
    public Path dir() {
        return dir;
    }

    /** @return what its manifest says */
    public RunInfo info() {
        return info;
    }

    /** @return the store it is in */
    public Store store() {
        return store;
    }

    /**
     * Sets how many checkpoints of this run {@link Retention} keeps, instead of the store's
     * {@code keep}; the quota still applies.
     *
     * @param checkpoints the newest to keep, 0 for all (its owner may bound it otherwise)
     */
    public void keep(int checkpoints) {
        if (checkpoints < 0) {
            throw new IllegalArgumentException("keep needs 0 (all) or more, not " + checkpoints);
        }
        keep = checkpoints;
    }

    /** @return how many checkpoints {@link Retention} keeps of this run, 0 for all */
    int keep(StoreOptions options) {
        return keep >= 0 ? keep : options.keep();
    }

    /** @return the published checkpoints, oldest first (manifests not read yet) */
    public List<CheckpointEntry> checkpoints() {
        try {
            return CheckpointEntry.list(dir.resolve("checkpoints"));
        } catch (IOException e) {
            throw new RewindException("cannot list checkpoints of run " + id + ": " + e, e);
        }
    }

    /**
     * @return the entry of a manifest file of this run
     * @throws CorruptCheckpointException when the file is not a checkpoint of this run
     */
    public CheckpointEntry entry(Path manifestFile) {
        CheckpointEntry e = CheckpointEntry.of(manifestFile);
        if (e == null || !manifestFile.toAbsolutePath().normalize().getParent().equals(dir.resolve("checkpoints"))) {
            throw new CorruptCheckpointException(manifestFile + " is not a checkpoint of run " + id + " (see `rewind ls`)");
        }
        return e;
    }

    /**
     * Reads a checkpoint's manifest and checks its signature (its chunks are not read).
     *
     * @throws CorruptCheckpointException when it is damaged
     * @throws dev.rewind.UntrustedCheckpointException when it is not signed with the user's key
     */
    public CheckpointManifest manifest(CheckpointEntry entry) {
        CheckpointManifest m = CheckpointManifest.read(entry.file(), store.key(), store.options().trust());
        if (m.sequence() != entry.sequence() || !m.runId().equals(id)) {
            throw new CorruptCheckpointException(CheckpointManifest.WHAT + " " + entry.file() + " says it is checkpoint "
                + m.sequence() + " of run " + m.runId() + ": it was moved or copied from elsewhere.");
        }
        return m;
    }

    /**
     * Checks that every chunk of a checkpoint is present and whole, reading all of them.
     *
     * @throws CorruptCheckpointException naming the first bad chunk
     */
    public void verify(CheckpointManifest m) {
        m.chunks().parallelStream().forEach(store.chunks()::read);
    }

    /**
     * Checks that every chunk file of a checkpoint is there at its full length, without reading them
     * (one stat each); their contents are checked as they are read.
     *
     * @throws CorruptCheckpointException naming the first missing or short chunk
     */
    public void checkPresent(CheckpointManifest m) {
        for (ChunkRef c : m.chunks()) {
            if (!store.chunks().hasLength(c)) {
                throw new CorruptCheckpointException("checkpoint " + m.sequence() + " of run " + id + " cannot be used: "
                    + "its chunk " + store.chunks().path(c.id()) + " is missing or cut short");
            }
        }
    }

    /**
     * @return the checkpoint's data; each chunk is checked against its name as it is read, and a
     *     bad one ends the stream with a {@link CorruptCheckpointException}
     */
    public InputStream open(CheckpointManifest m) {
        return new ChunkInputStream(store.chunks(), m.chunks());
    }

    /**
     * Starts a checkpoint: the caller writes its data to the returned stream and then calls
     * {@link CheckpointWriter#publish(byte[])}. Takes the run's lock on first use.
     * @throws RewindException when another process writes this run, or the store cannot be written
     */
    public CheckpointWriter begin(String label) {
        int sequence;
        synchronized (this) {
            lockForWriting();
            sequence = nextSequence++;
        }
        try {
            DurableFiles.privateDirectories(dir.resolve("checkpoints"));
        } catch (IOException e) {
            throw new RewindException("cannot create " + dir.resolve("checkpoints") + ": " + e, e);
        }
        return new CheckpointWriter(this, sequence, label);
    }

    /**
     * Takes the run's writer lock now rather than at the first {@link #begin}, so that a second
     * process is turned away before it does any work (the explicit APIs call it when they open a
     * state or pipeline). Does nothing when this process holds the lock already; {@link #close()}
     * releases it.
     *
     * @throws RewindException naming the process that holds the lock, when another one does
     */
    public synchronized void lockForWriting() {
        if (lock == null) {
            lock = RunLock.acquire(dir, id);
            List<CheckpointEntry> existing = checkpoints();
            lastPublished = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).sequence();
            nextSequence = lastPublished + 1;
            publishedSequences.clear();
            publishedSequences.add(lastPublished);
        }
    }

    /** @return whether this process holds the run's writer lock */
    public synchronized boolean holdsLock() {
        return lock != null;
    }

    /** @return the manifest path of a checkpoint */
    public Path manifestPath(int sequence, String label) {
        return dir.resolve("checkpoints").resolve(CheckpointEntry.fileName(sequence, label));
    }

    /** @return the sequence of the newest checkpoint this process published, or found at lock time */
    public synchronized int lastPublished() {
        return lastPublished;
    }

    /**
     * @return the parent for checkpoint {@code sequence}: the newest checkpoint published before it
     *     that is older than it (a writer started later may have been published first), 0 for none
     */
    synchronized int parentOf(int sequence) {
        Integer p = publishedSequences.lower(sequence);
        return p == null ? 0 : p;
    }

    synchronized void published(int sequence) {
        lastPublished = Math.max(lastPublished, sequence);
        publishedSequences.add(sequence);
        if (publishedSequences.size() > 1024) {
            publishedSequences.pollFirst();
        }
    }

    /**
     * Removes one checkpoint (its manifest; chunks no longer used go at the next collection).
     */
    public void remove(CheckpointEntry entry) throws IOException {
        Files.deleteIfExists(entry.file());
        DurableFiles.forceDirectory(entry.file().getParent());
    }

    /** Removes the whole run. Fails when a process is writing it. */
    public void removeAll() throws IOException {
        if (lock == null && RunLock.isHeld(dir)) {
            throw new RewindException("run " + id + " is being written by a running process; stop it first");
        }
        for (CheckpointEntry e : checkpoints()) {
            Files.deleteIfExists(e.file());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>();
            all.forEach(paths::add);
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
        DurableFiles.forceDirectory(dir.getParent());
        store.forget(this);
        close();
    }

    /** Releases the run's lock, if this process holds it. */
    @Override
    public synchronized void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    @Override
    public String toString() {
        return "run " + id;
    }
}
