package dev.rewind.internal.store;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes large chunk files with direct I/O ({@code O_DIRECT}): the disk reads the data straight from
 * an aligned buffer, so the kernel neither copies it into the page cache nor keeps it there.
 *
 * <p>Why: in a full checkpoint of gigabytes the kernel's copy into the page cache cost as much CPU as
 * hashing every byte with SHA-256, on a machine whose two cores are both busy hashing; written
 * direct, 2 GiB in 4 MiB files took 0.45 s of CPU instead of 1.5–1.9 s, and less wall time. The
 * page cache would not have helped anyway: checkpoint data is written far more often than it is
 * read back, and it would push the program's own files out of the cache.
 *
 * <p>How: the file's bytes are gathered into a per-thread buffer aligned to the file system's block
 * size; the whole blocks are written with {@code O_DIRECT}, and the last partial block (or whatever
 * a short write left) through the page cache, on a second channel. {@link DurableFiles#commit}
 * forces the file as before, so a chunk is durable under its final name exactly as with buffered
 * writes. Where a file system refuses {@code O_DIRECT} (tmpfs on older kernels, some network file
 * systems), the folder's files are written through the page cache from then on.
 * {@code -Drewind.directIo=false} turns direct writes off.
 */
final class DirectStaging {
    /** {@code -Drewind.directIo=false} writes every file through the page cache. */
    static final boolean ENABLED = !"false".equals(System.getProperty("rewind.directIo"));
    /** Smaller files are written through the page cache: not worth a second open. */
    static final long MIN_SIZE = 256 << 10;
    /** Largest block size to align to; a file system that asks for more is written buffered. */
    private static final int MAX_ALIGNMENT = 64 << 10;

    /** Block size per folder, or 0 where direct I/O is refused. */
    private static final Map<Path, Integer> ALIGNMENT = new ConcurrentHashMap<>();
    private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();

    private DirectStaging() {
    }

    /** @return the block size to align direct writes to in {@code dir}, or 0 to write buffered */
    static int alignment(Path dir) {
        if (!ENABLED) {
            return 0;
        }
        return ALIGNMENT.computeIfAbsent(dir, d -> {
            try {
                long size = Files.getFileStore(d).getBlockSize();
                return size > 0 && size <= MAX_ALIGNMENT && Long.bitCount(size) == 1 ? (int) size : 0;
            } catch (IOException | UnsupportedOperationException e) {
                return 0;
            }
        });
    }

    /** Remembers that {@code dir} refused direct I/O: its files are written buffered from now on. */
    static void refused(Path dir) {
        ALIGNMENT.put(dir, 0);
    }

    /**
     * Writes {@code data} to the new file {@code tmp} (it must not exist), not forced.
     *
     * @return false, with no file left, when the file system refused direct I/O: write it buffered
     * @throws IOException on any other failure, including one to open the file at all; the caller
     *     deletes {@code tmp}
     */
    static boolean write(Path tmp, ByteBuffer[] data, long total, int alignment) throws IOException {
        ByteBuffer buf = gather(data, total, alignment);
        long whole = total / alignment * alignment;
        long done = 0;
        FileChannel direct;
        try {
            direct = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT), DurableFiles.PRIVATE_FILE);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            // O_DIRECT is checked once the file exists, so a refusal can leave it behind
            Files.deleteIfExists(tmp);
            // a refusal only if the same file can be created without O_DIRECT; if not (a missing
            // folder, no permission, a full disk), that failure is the one to report
            FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                DurableFiles.PRIVATE_FILE).close();
            Files.delete(tmp);
            return false;
        }
        try (FileChannel ch = direct) {
            ByteBuffer blocks = buf.duplicate().limit((int) whole);
            while (blocks.hasRemaining() && blocks.position() % alignment == 0) {
                if (ch.write(blocks) <= 0) {
                    break;
                }
            }
            done = blocks.position();
        }
        if (done < total) {
            // the last partial block, or what a short write left: through the page cache
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer rest = buf.duplicate().position((int) done).limit((int) total);
                long at = done;
                while (rest.hasRemaining()) {
                    at += ch.write(rest, at);
                }
            }
        }
        return true;
    }

    /** Copies {@code data} into this thread's aligned buffer, grown as needed; position 0, limit {@code total}. */
    private static ByteBuffer gather(ByteBuffer[] data, long total, int alignment) {
        ByteBuffer buf = BUFFER.get();
        if (buf == null || buf.capacity() < total || buf.alignmentOffset(0, alignment) != 0) {
            int capacity = (int) Math.max(total, CheckpointWriter.BULK_PIECE);
            capacity = (capacity + alignment - 1) / alignment * alignment;
            buf = ByteBuffer.allocateDirect(capacity + alignment).alignedSlice(alignment);
            BUFFER.set(buf);
        }
        buf.clear();
        for (ByteBuffer b : data) {
            buf.put(b.duplicate());
        }
        buf.flip();
        return buf;
    }
}
