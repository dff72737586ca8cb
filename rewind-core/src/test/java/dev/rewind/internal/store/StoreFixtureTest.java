package dev.rewind.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.UntrustedCheckpointException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the store that {@link StoreFixtureWriter} wrote once ({@code fixtures/store-v1}): a failure
 * here means stores written earlier are no longer read as they were. See the fixture's README before
 * touching it.
 */
class StoreFixtureTest {
    @TempDir
    Path tmp;

    private Path fixture() throws Exception {
        URL key = StoreFixtureTest.class.getResource("/fixtures/store-v1/key");
        assertTrue(key != null, "fixtures/store-v1 is missing from the test resources");
        Path dir = Path.of(key.toURI()).getParent();
        Path copy = tmp.resolve("store");
        try (Stream<Path> s = Files.walk(dir.resolve("store"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = copy.resolve(dir.resolve("store").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        assertArrayEquals(StoreFixtureWriter.keyBytes(), Files.readAllBytes(dir.resolve("key")));
        return copy;
    }

    @Test
    void theVersion1StoreReadsBackExactly() throws Exception {
        Path root = fixture();
        StoreKey key = StoreKey.of(StoreFixtureWriter.keyBytes());
        Store store = Store.openWithKey(root, key, StoreOptions.defaults());
        assertEquals(List.of(StoreFixtureWriter.RUN_ID), store.runs().stream().map(Run::id)
            .collect(Collectors.toList()));
        Run run = store.run(StoreFixtureWriter.RUN_ID);
        assertEquals(StoreFixtureWriter.runInfo(), run.info());

        List<CheckpointEntry> entries = run.checkpoints();
        assertEquals(2, entries.size());
        byte[][] data = {StoreFixtureWriter.data1(), StoreFixtureWriter.data2()};
        for (int i = 0; i < 2; i++) {
            CheckpointEntry e = entries.get(i);
            assertEquals(i + 1, e.sequence());
            assertEquals(StoreFixtureWriter.LABELS[i], e.label());
            CheckpointManifest m = run.manifest(e); // CRC and signature under the fixed key
            assertEquals(StoreFixtureWriter.RUN_ID, m.runId());
            assertEquals(i + 1, m.sequence());
            assertEquals(i, m.parent());
            assertEquals(StoreFixtureWriter.LABELS[i], m.label());
            assertArrayEquals(StoreFixtureWriter.meta(i + 1), m.meta());
            assertEquals(data[i].length, m.rawSize());
            assertTrue(m.storedSize() < m.rawSize() / 4, "compressed chunks: " + m.storedSize());
            run.verify(m);
            assertArrayEquals(data[i], StoreTesting.readAll(run, m), "data of checkpoint " + (i + 1));

            // the encoders still write exactly these bytes: manifest body and signed-file framing
            byte[] file = Files.readAllBytes(e.file());
            byte[] body = SignedFile.decode(file, e.file(), CheckpointManifest.MAGIC, CheckpointManifest.WHAT, key,
                false);
            assertArrayEquals(body, m.encode(), "CheckpointManifest encoding changed");
            assertArrayEquals(file, SignedFile.encode(CheckpointManifest.MAGIC, body, key), "SignedFile layout changed");
            assertEquals("RWCP", new String(file, 0, 4, StandardCharsets.US_ASCII));
            assertEquals(1, ByteBuffer.wrap(file, 4, 2).getShort());
        }
        // checkpoint 2: head and tail in their own chunks, the long[] in one bulk piece of its exact size
        CheckpointManifest second = run.manifest(entries.get(1));
        byte[][] parts = StoreFixtureWriter.data2Parts();
        assertEquals(List.of(parts[0].length, parts[1].length, parts[2].length),
            second.chunks().stream().map(ChunkRef::rawLength).collect(Collectors.toList()));
        for (ChunkRef c : second.chunks()) {
            byte[] chunk = Files.readAllBytes(store.chunks().path(c.id()));
            assertEquals(c.fileLength(), chunk.length);
            assertEquals("RWCK", new String(chunk, 0, 4, StandardCharsets.US_ASCII));
            assertEquals(ChunkCodec.FORMAT_VERSION, chunk[4]);
            assertEquals(ChunkCodec.CODEC_ZSTD, chunk[5], "compressible chunks are stored with zstd");
        }
        byte[] runFile = Files.readAllBytes(run.dir().resolve(RunInfo.FILE));
        assertEquals("RWRN", new String(runFile, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(List.of(), StoreTesting.files(root).stream()
            .filter(f -> f.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX)).collect(Collectors.toList()));
    }

    @Test
    void anotherKeyFindsTheFixtureUntrusted() throws Exception {
        Path root = fixture();
        StoreKey other = StoreTesting.key(1234);
        Store store = Store.openWithKey(root, other, StoreOptions.defaults());
        UntrustedCheckpointException e = assertThrows(UntrustedCheckpointException.class,
            () -> store.run(StoreFixtureWriter.RUN_ID));
        assertTrue(e.getMessage().contains("--trust"), e.getMessage());
        Path checkpoints = root.resolve("runs").resolve(StoreFixtureWriter.RUN_ID).resolve("checkpoints");
        for (String name : List.of("0001-first.ckpt", "0002-second.ckpt")) {
            UntrustedCheckpointException u = assertThrows(UntrustedCheckpointException.class, () -> SignedFile.read(
                checkpoints.resolve(name), CheckpointManifest.MAGIC, CheckpointManifest.WHAT, other, false));
            assertTrue(u.getMessage().contains("--trust"), u.getMessage());
        }
        // trusted, it reads
        Store trusting = Store.openWithKey(root, other, new StoreOptions(0, 0, 0, true,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run run = trusting.run(StoreFixtureWriter.RUN_ID);
        CheckpointManifest m = run.manifest(run.checkpoints().get(1));
        assertArrayEquals(StoreFixtureWriter.data2(), StoreTesting.readAll(run, m));
    }
}
