package dev.rewind;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A saved checkpoint, as returned by {@link Rewind#checkpoint(String)} when the program goes on
 * after saving.
 *
 * @param id the checkpoint's id within its run, e.g. {@code "0003"}
 * @param label the label passed to {@code checkpoint}
 * @param run the id of the run it belongs to
 * @param sizeBytes bytes written
 * @param path where it is stored
 * @param time when it was taken
 */
public record Checkpoint(String id, String label, String run, long sizeBytes, Path path, Instant time) {
}
