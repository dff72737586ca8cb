package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The content-addressed chunk files of a store, shared by all its runs:
 * {@code chunks/ab/ab12...ef} where the name is the SHA-256 of the chunk's raw bytes. A chunk
 * file is immutable once renamed into place; writing one that exists is skipped, which is what
 * makes an unchanged part of a checkpoint free.
 */
final class ChunkStore {
    private final Path root;
    /** Chunks this JVM found damaged: written again, not deduplicated, when a checkpoint has them. */
    private final java.util.Set<ChunkId> damaged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ChunkStore(Path storeRoot) {
        this.root = storeRoot.resolve("chunks");
    }

    Path root() {
        return root;
    }

    /** @return where the chunk's file is (or would be) */
    Path path(ChunkId id) {
        String hex = id.hex();
        return root.resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** @return whether the chunk's file exists (its content is not checked) */
    boolean contains(ChunkId id) {
        return Files.isRegularFile(path(id));
    }

    /**
     * Writes the chunk to a temporary file, not yet forced, unless the store has it already. The
     * encoded chunk's bytes are not needed after this returns; {@link Staged#commit()} then makes
     * it durable and renames it into place. The chunk's folder is not forced: the caller forces
     * every touched folder once before publishing (see {@link #folder(ChunkId)}).
     *
     * @return the staged file, to {@link Staged#commit()}, or null when there is nothing to write
     */
    Staged stage(ChunkCodec.Encoded chunk) throws IOException {
        Path file = path(chunk.id());
        // an existing file of the right size is taken as whole (reading it back would cost the time
        // deduplication saves); one of another size, or found damaged by a read, is replaced
        if (!damaged.contains(chunk.id()) && sizeOf(file) == chunk.fileLength()) {
            return null;
        }
        DurableFiles.privateDirectories(file.getParent());
        return new Staged(chunk.id(), DurableFiles.stage(file, root, chunk.buffers()), file);
    }

    /** A chunk written to a temporary file, waiting to be forced and renamed into place. */
    final class Staged {
        private final ChunkId id;
        private final Path tmp;
        private final Path target;

        private Staged(ChunkId id, Path tmp, Path target) {
            this.id = id;
            this.tmp = tmp;
            this.target = target;
        }

        /** Forces the data and renames the file into place; on failure the temporary file is gone. */
        void commit() throws IOException {
            DurableFiles.commit(tmp, target);
            damaged.remove(id);
        }

        /** Deletes the temporary file instead of committing it. */
        void discard() {
            DurableFiles.deleteQuietly(tmp);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Looks for a chunk before it is encoded: an unchanged part of a checkpoint then costs its
     * hash and one small read, not a copy, a compression sample and a write.
     *
     * @return the length of the chunk's file when the store has it whole (right header and size,
     *     not found damaged by this JVM), else -1
     */
    int existing(ChunkId id, int rawLength) {
        if (damaged.contains(id)) {
            return -1;
        }
        Path file = path(id);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(ChunkCodec.HEADER);
            while (header.hasRemaining() && ch.read(header) > 0) {
                // a header is 14 bytes: one read unless the file is shorter
            }
            return ChunkCodec.framedLength(header.array(), ch.size(), rawLength);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Checks a chunk this JVM wrote or verified before, as the piece cache knows it: one stat, no
     * read. A chunk file written with direct I/O is not in the page cache, so reading its header,
     * as {@link #existing} does, is a disk read: 60-140 ms for the 512 pieces of 2 GiB here. The
     * header and the data are checked against the chunk's name whenever it is read.
     *
     * @return whether the chunk's file is there with its full length, and this JVM has not found it damaged
     */
    boolean present(ChunkRef ref) {
        return !damaged.contains(ref.id()) && hasLength(ref);
    }

    /** @return whether the chunk's file is there with its full length (one stat) */
    boolean hasLength(ChunkRef ref) {
        return path(ref.id()).toFile().length() == ref.fileLength();
    }

    /** @return the folder a chunk lives in, to force before publishing a manifest that uses it */
    Path folder(ChunkId id) {
        return path(id).getParent();
    }

    /**
     * Reads a chunk and checks it against its name.
     *
     * @throws CorruptCheckpointException naming the chunk file when it is missing or damaged
     */
    byte[] read(ChunkRef ref) {
        Path file = path(ref.id());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("chunk " + file + " is missing (deleted by hand, or the store was "
                + "copied incompletely)");
        } catch (IOException e) {
            throw new CorruptCheckpointException("chunk " + file + " cannot be read: " + e, e);
        }
        byte[] raw;
        try {
            raw = ChunkCodec.decode(ref.id(), bytes, bytes.length, file.toString());
        } catch (CorruptCheckpointException e) {
            damaged.add(ref.id());
            throw e;
        }
        if (raw.length != ref.rawLength()) {
            throw new CorruptCheckpointException("chunk " + file + " holds " + raw.length + " bytes but its manifest "
                + "expects " + ref.rawLength());
        }
        return raw;
    }

    /** Calls {@code action} with every chunk file and its size. Stray files are skipped. */
    void forEach(BiConsumer<Path, Long> action) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path f : files) {
                        try {
                            action.accept(f, Files.size(f));
                        } catch (NoSuchFileException gone) {
                            // removed meanwhile
                        }
                    }
                }
            }
        }
    }

    /** Forces the given chunk folders, so that the renames into them survive a crash. */
    static void forceFolders(Collection<Path> folders) throws IOException {
        List<Path> sorted = new ArrayList<>(folders);
        sorted.sort(null);
        for (Path f : sorted) {
            DurableFiles.forceDirectory(f);
        }
    }
}
