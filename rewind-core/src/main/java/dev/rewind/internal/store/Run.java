package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One recorded run of a program: its command line and its checkpoints.
 *
 * @param id the run's id, e.g. {@code 20261121-140501-3fa2}
 * @param dir its folder in the store
 * @param command the java command line, as given to {@code rewind run} after {@code --}
 * @param workingDirectory where it was started
 * @param started when it was started
 * @param jdk the JDK version of the CLI that started it
 */
public record Run(String id, Path dir, List<String> command, Path workingDirectory, Instant started, String jdk) {
    /** File name suffix of a checkpoint. */
    public static final String SUFFIX = ".ckpt";

    /** @return the checkpoint files, in order of their sequence number */
    public List<Path> checkpoints() {
        Path dir = dir().resolve("checkpoints");
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && sequence(p) > 0)
                .sorted(java.util.Comparator.comparingInt(Run::sequence))
                .forEach(out::add);
        } catch (IOException e) {
            throw new RewindException("cannot list checkpoints of run " + id + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** @return the next free sequence number */
    public int nextSequence() {
        List<Path> all = checkpoints();
        return all.isEmpty() ? 1 : sequence(all.get(all.size() - 1)) + 1;
    }

    /** @return the path of a new checkpoint; the folder is created private */
    public Path newCheckpoint(int sequence, String label) {
        Path dir = dir().resolve("checkpoints");
        try {
            RunStore.privateDirectories(dir);
        } catch (IOException e) {
            throw new RewindException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        String safe = label.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return dir.resolve(String.format("%04d", sequence) + (safe.isEmpty() ? "" : "-" + safe) + SUFFIX);
    }

    /** @return the sequence number in a checkpoint's file name, or -1 */
    public static int sequence(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        int end = 0;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Integer.parseInt(name.substring(0, Math.min(end, 9)));
    }
}
