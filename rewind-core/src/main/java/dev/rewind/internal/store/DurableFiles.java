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
        Path tmp = stage(target, ByteBuffer.wrap(bytes, 0, length));
        commit(tmp, target);
        if (forceDirectory) {
            forceDirectory(target.getParent());
        }
    }

    /**
     * First half of {@link #write}: writes the data to a new temporary file next to {@code target},
     * not yet forced. Splitting the two lets a writer go on with the next file while this one's
     * data reaches the disk, which is where the time goes when there are hundreds of them.
     *
     * @return the temporary file, to hand to {@link #commit} (or delete)
     * @throws IOException when it cannot; then no temporary file is left
     */
    static Path stage(Path target, ByteBuffer... data) throws IOException {
        return stage(target, target.getParent(), data);
    }

    /**
     * As {@link #stage(Path, ByteBuffer...)}, for a target under {@code volume}, a folder on the same
     * file system whose answer on direct I/O ({@link DirectStaging}) stands for all the folders under it.
     */
    static Path stage(Path target, Path volume, ByteBuffer... data) throws IOException {
        Path tmp = target.getParent().resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-"
            + COUNTER.incrementAndGet() + "-" + target.getFileName());
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        int alignment = total >= DirectStaging.MIN_SIZE ? DirectStaging.alignment(volume) : 0;
        try {
            if (alignment > 0) {
                if (DirectStaging.write(tmp, data, total, alignment)) {
                    return tmp;
                }
                DirectStaging.refused(volume);
            }
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PRIVATE_FILE)) {
                long left = total;
                while (left > 0) {
                    left -= ch.write(data);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
        return tmp;
    }

    /**
     * Second half of {@link #write}: forces a staged file's data, then renames it over {@code target}
     * (the folder is not forced). A reader therefore never finds a file under its final name whose
     * data could still be lost in a crash.
     *
     * @throws IOException when it cannot; then the target is as it was and the temporary file is deleted
     */
    static void commit(Path tmp, Path target) throws IOException {
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
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

    /**
     * @return the path with symbolic links resolved as far as it exists, so that one folder reached
     *     through two paths gives one answer; the part that does not exist yet is appended as is
     */
    static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
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
