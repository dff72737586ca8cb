package dev.rewind.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A published checkpoint as its file name tells it, before its manifest is read.
 *
 * @param file the manifest file
 * @param sequence its number in the run
 * @param label the label, as far as the file name keeps it (see the manifest for the exact one)
 */
public record CheckpointEntry(Path file, int sequence, String label) {
    /** File name suffix of a checkpoint manifest. */
    public static final String SUFFIX = ".ckpt";

    /** @return the id shown to users, e.g. {@code 0003} */
    public String id() {
        return String.format("%04d", sequence);
    }

    /** @return the entry for a manifest file name, or null if the name is not one */
    static CheckpointEntry of(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        int end = 0;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        if (end == 0 || end > 9) {
            return null;
        }
        String rest = name.substring(end, name.length() - SUFFIX.length());
        return new CheckpointEntry(file, Integer.parseInt(name.substring(0, end)),
            rest.startsWith("-") ? rest.substring(1) : rest);
    }

    /**
     * @return the checkpoints in a run's {@code checkpoints} folder, by sequence; none when it does
     *     not exist. Files that are not manifests (temporary ones) are left out.
     */
    static List<CheckpointEntry> list(Path folder) throws IOException {
        List<CheckpointEntry> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.map(CheckpointEntry::of).filter(Objects::nonNull).forEach(out::add);
        }
        out.sort(Comparator.comparingInt(CheckpointEntry::sequence));
        return out;
    }

    /** @return the manifest file name for a checkpoint */
    static String fileName(int sequence, String label) {
        String safe = Store.safeName(label);
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return String.format("%04d", sequence) + (safe.isEmpty() ? "" : "-" + safe) + SUFFIX;
    }
}
