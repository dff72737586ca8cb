package dev.rewind.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's only way of putting bytes on disk: a temporary file, written and forced, renamed over
 * its final name, then the folder forced, so that a reader sees the whole file or nothing, and a
 * crash at any point leaves at most a temporary file behind. Files are created 0600 and folders
 * 0700, since a checkpoint holds the program's memory.
 */
final class DurableFiles {
    static final FileAttribute<?> PRIVATE_FILE =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    static final FileAttribute<?> PRIVATE_DIR =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** Prefix of temporary files; {@link GarbageCollector} removes stale ones. */
    static final String TEMP_PREFIX = ".tmp-";
    private static final AtomicLong COUNTER = new AtomicLong();

    private DurableFiles() {
    }

    /**
     * Writes {@code bytes[0, length)} to {@code target} atomically, replacing any file there.
     *
     * @param forceDirectory whether to force the folder now; callers that publish many files at once
     *     force each folder once at the end instead
     * @throws IOException when it cannot; then the target is as it was and no temporary file is left
     */
    static void write(Path target, byte[] bytes, int length, boolean forceDirectory) throws IOException {
        Path dir = target.getParent();
        Path tmp = dir.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
            + target.getFileName());
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PRIVATE_FILE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
        if (forceDirectory) {
            forceDirectory(dir);
        }
    }

    /** Forces a folder's entries (new names, renames, deletions) to disk. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Creates a folder and its missing parents, private to the user. */
    static void privateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            privateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PRIVATE_DIR);
        } catch (FileAlreadyExistsException e) {
            // created concurrently: fine
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale temporary file is harmless: nothing reads it and gc removes it
        }
    }
}
