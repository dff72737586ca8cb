package dev.rewind.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap fingerprint of a program's code, kept in its run's manifest: the SHA-256 of the names,
 * sizes and modification times of its jars and class files. It only tells that something changed;
 * whether a resume can still work is decided per frame when the checkpoint is loaded.
 */
public final class ClassPathFingerprint {
    /** Folders with more class files than this are fingerprinted by their first ones only. */
    private static final int MAX_FILES = 100_000;

    private ClassPathFingerprint() {
    }

    /** @return the fingerprint of the code in {@code paths} (jars, class folders, source files) */
    public static String of(List<Path> paths) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(f -> f.toString().endsWith(".class")).sorted().limit(MAX_FILES)
                        .forEach(f -> add(sha, f));
                } catch (IOException | java.io.UncheckedIOException e) {
                    sha.update(("unreadable " + p).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                add(sha, p);
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static void add(MessageDigest sha, Path f) {
        String line;
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            line = f + " " + a.size() + " " + a.lastModifiedTime().toMillis() + "\n";
        } catch (IOException e) {
            line = f + " missing\n";
        }
        sha.update(line.getBytes(StandardCharsets.UTF_8));
    }
}
