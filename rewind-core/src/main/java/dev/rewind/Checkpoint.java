package dev.rewind;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A checkpoint taken by {@link Rewind#checkpoint(String)} when the program goes on after saving.
 *
 * <p>The program's state was copied into memory when {@code checkpoint} returned; it is written
 * to the store in the background, and becomes visible (to {@code rewind ls} and {@code rewind
 * resume}) once all of it is on disk. {@link #await()} waits for that; a clean exit waits too.
 */
public final class Checkpoint {
    private final String id;
    private final String label;
    private final String run;
    private final long sizeBytes;
    private final Path path;
    private final Instant time;
    private final CompletableFuture<?> written;

    /**
     * @param id the checkpoint's id within its run, e.g. {@code "0003"}
     * @param label the label passed to {@code checkpoint}
     * @param run the id of the run it belongs to
     * @param sizeBytes bytes of state saved, before compression and deduplication
     * @param path its manifest in the store
     * @param time when it was taken
     * @param written completes when it is durable, exceptionally when it could not be written
     */
    public Checkpoint(String id, String label, String run, long sizeBytes, Path path, Instant time,
            CompletableFuture<?> written) {
        this.id = id;
        this.label = label;
        this.run = run;
        this.sizeBytes = sizeBytes;
        this.path = path;
        this.time = time;
        this.written = Objects.requireNonNull(written);
    }

    /** @return the checkpoint's id within its run, e.g. {@code "0003"} */
    public String id() {
        return id;
    }

    /** @return the label passed to {@code checkpoint} */
    public String label() {
        return label;
    }

    /** @return the id of the run it belongs to */
    public String run() {
        return run;
    }

    /** @return bytes of state saved, before compression and deduplication */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** @return its manifest in the store (it exists once the checkpoint is written) */
    public Path path() {
        return path;
    }

    /** @return when it was taken */
    public Instant time() {
        return time;
    }

    /** @return whether it is on disk already (true) or still being written or failed (false) */
    public boolean isWritten() {
        return written.isDone() && !written.isCompletedExceptionally();
    }

    /**
     * Waits until the checkpoint is on disk.
     *
     * @return this
     * @throws RewindException when it could not be written (the store's earlier checkpoints are
     *     intact), or the wait was interrupted
     */
    public Checkpoint await() {
        try {
            written.get();
            return this;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RewindException ? (RewindException) cause
                : new RewindException("checkpoint " + id + " could not be written: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewindException("interrupted while waiting for checkpoint " + id + " to be written", e);
        }
    }

    @Override
    public String toString() {
        return "checkpoint " + id + " \"" + label + "\" of run " + run + " (" + sizeBytes + " bytes"
            + (isWritten() ? "" : ", being written") + ")";
    }
}
