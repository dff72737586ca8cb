package dev.rewind.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large staged files go through direct I/O: their bytes, length and permissions must not notice. */
class DirectStagingTest {

    @TempDir
    Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Stages and commits a file from three buffers (as a chunk's head, payload and tail), reads it back. */
    private byte[] roundTrip(Path volume, String name, byte[] head, byte[] payload, byte[] tail) throws IOException {
        Path target = volume.resolve("ab").resolve(name);
        DurableFiles.privateDirectories(target.getParent());
        Path tmp = DurableFiles.stage(target, volume, ByteBuffer.wrap(head), ByteBuffer.wrap(payload, 1, payload.length - 1),
            ByteBuffer.wrap(tail));
        DurableFiles.commit(tmp, target);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        return Files.readAllBytes(target);
    }

    @Test
    void bytesComeBackExactAroundBlockBoundaries() throws IOException {
        int block = DirectStaging.alignment(dir);
        // either way the bytes must come back; which way this machine went is printed, not asserted
        System.out.println("DirectStagingTest: " + (block > 0 ? "direct I/O, " + block + "-byte blocks"
            : "written through the page cache") + " in " + dir);
        int min = (int) DirectStaging.MIN_SIZE;
        // whole blocks only, one byte short of or past them, below the direct threshold, larger than a piece
        int[] sizes = {min, min + 4096, min + 4095, min + 4097, min - 1, 3 << 20, CheckpointWriter.MAX_CHUNK + 12345};
        for (int i = 0; i < sizes.length; i++) {
            byte[] head = random(37, i);
            byte[] payload = random(sizes[i] - 37 - 11 + 1, 100 + i); // staged without its first byte
            byte[] tail = random(11, 200 + i);
            byte[] expected = new byte[sizes[i]];
            System.arraycopy(head, 0, expected, 0, 37);
            System.arraycopy(payload, 1, expected, 37, payload.length - 1);
            System.arraycopy(tail, 0, expected, sizes[i] - 11, 11);
            assertArrayEquals(expected, roundTrip(dir, "f" + i, head, payload, tail), "file of " + sizes[i] + " bytes");
        }
        try (Stream<Path> left = Files.list(dir.resolve("ab"))) {
            assertEquals(sizes.length, left.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aFolderThatRefusedDirectIoIsWrittenThroughThePageCache() throws IOException {
        Path volume = dir.resolve("refusing");
        DurableFiles.privateDirectories(volume);
        DirectStaging.refused(volume);
        assertEquals(0, DirectStaging.alignment(volume));
        byte[] payload = random(1 << 20, 7);
        byte[] back = roundTrip(volume, "f", new byte[0], payload, new byte[0]);
        assertArrayEquals(Arrays.copyOfRange(payload, 1, payload.length), back);
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileAndIsNoRefusal() throws IOException {
        int before = DirectStaging.alignment(dir);
        // the target's folder does not exist: the open fails, and nothing may be left anywhere
        Path target = dir.resolve("missing").resolve("f");
        assertThrows(NoSuchFileException.class,
            () -> DurableFiles.stage(target, dir, ByteBuffer.wrap(random(1 << 20, 8))));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
        // had the failed open been taken for a refusal of O_DIRECT, the folder would now be written buffered
        assertEquals(before, DirectStaging.alignment(dir), "a missing folder is not a refusal of direct I/O");
    }
}
