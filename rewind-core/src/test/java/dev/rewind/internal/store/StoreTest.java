package dev.rewind.internal.store;

import static dev.rewind.internal.store.StoreTesting.assertMode;
import static dev.rewind.internal.store.StoreTesting.checkpoint;
import static dev.rewind.internal.store.StoreTesting.chunkFiles;
import static dev.rewind.internal.store.StoreTesting.concat;
import static dev.rewind.internal.store.StoreTesting.info;
import static dev.rewind.internal.store.StoreTesting.key;
import static dev.rewind.internal.store.StoreTesting.manifests;
import static dev.rewind.internal.store.StoreTesting.random;
import static dev.rewind.internal.store.StoreTesting.readAll;
import static dev.rewind.internal.store.StoreTesting.referenced;
import static dev.rewind.internal.store.StoreTesting.writeBulk;
import static dev.rewind.internal.store.StoreTesting.writeIrregular;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rewind.CheckpointRefusedException;
import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.UntrustedCheckpointException;
import dev.rewind.internal.serial.BulkSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("store"); // not created yet: the store makes it, private
    }

    // ---------------------------------------------------------------- round trip

    @Test
    void roundTripsMixedDataAndMetaWithPrivatePermissions() throws Exception {
        Store store = Store.openWithKey(root(), key(1), StoreOptions.defaults());
        Run run = store.createRun(info("RoundTrip"));
        long[] array = new long[1 << 20]; // 8 MiB announced as a bulk region
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < array.length; i++) {
            array[i] = i % 3 == 0 ? r.nextLong() : i;
        }
        byte[] head = random(11, 3_000_001);
        byte[] bulk = StoreTesting.longs(array);
        byte[] text = StoreTesting.text(12, 6_000_000);
        byte[] tail = random(13, 3_333_333);
        byte[] meta = "frames header \u00e9".getBytes(StandardCharsets.UTF_8);

        CheckpointWriter w = run.begin("first try");
        assertEquals(1, w.sequence());
        writeIrregular(w, head, 1);
        writeBulk(w, bulk);
        writeIrregular(w, text, 2);
        writeIrregular(w, tail, 3);
        byte[] all = concat(head, bulk, text, tail);
        assertEquals(all.length, w.size());
        Published p = w.publish(meta).get();

        CheckpointManifest published = p.manifest();
        assertEquals(all.length, published.rawSize());
        assertEquals(1, published.sequence());
        assertEquals(0, published.parent());
        assertEquals("first try", published.label());
        assertEquals(run.id(), published.runId());
        assertTrue(published.storedSize() < published.rawSize() - 4 * MIB,
            "the text compresses: stored " + published.storedSize() + " of " + published.rawSize());
        assertEquals(published.storedSize(), published.addedBytes(), "a first checkpoint writes all its chunks");
        // the bulk region is cut into 4 MiB pieces counted from its start
        assertEquals(2, published.chunks().stream().filter(c -> c.rawLength() == BulkSink.PIECE_DATA).count());
        assertTrue(p.notes().isEmpty(), p.notes().toString());

        List<CheckpointEntry> entries = run.checkpoints();
        assertEquals(1, entries.size());
        CheckpointEntry e = entries.get(0);
        assertEquals(1, e.sequence());
        assertEquals("0001", e.id());
        assertEquals("first_try", e.label());
        CheckpointManifest m = run.manifest(e);
        assertEquals(published.chunks(), m.chunks());
        assertEquals(published.timeMillis(), m.timeMillis());
        assertEquals(published.addedBytes(), m.addedBytes());
        assertArrayEquals(meta, m.meta());
        assertEquals(all.length, m.rawSize());
        run.checkPresent(m);
        run.verify(m);
        assertArrayEquals(all, readAll(run, m));
        // byte-at-a-time reading too; available() is exactly what is left, across chunks, as for a file
        try (InputStream in = run.open(m)) {
            assertEquals(all.length, in.available());
            for (int i = 0; i < 5000; i++) {
                assertEquals(all[i] & 0xff, in.read());
            }
            assertEquals(all.length - 5000, in.available());
            byte[] rest = in.readAllBytes();
            assertEquals(all.length - 5000, rest.length);
            assertEquals(0, in.available());
        }

        // another instance of the store (a later process) reads the same
        Store again = Store.openWithKey(root(), key(1), StoreOptions.defaults());
        Run sameRun = again.run(run.id().substring(0, run.id().length() - 2));
        assertEquals(run.id(), sameRun.id());
        assertEquals("RoundTrip", sameRun.info().name());
        assertEquals(List.of("java", "RoundTrip"), sameRun.info().command());
        assertArrayEquals(all, readAll(sameRun, sameRun.manifest(sameRun.checkpoints().get(0))));
        StoreUsage usage = StoreUsage.of(again);
        assertEquals(1, usage.checkpoints());
        assertEquals(all.length, usage.stateBytes());
        assertEquals(published.storedSize(), usage.chunkBytes());

        // private: folders 0700, files 0600, no temporary files left
        assertMode("rwx------", root());
        assertMode("rwx------", root().resolve("runs"));
        assertMode("rwx------", run.dir());
        assertMode("rwx------", run.dir().resolve("checkpoints"));
        assertMode("rwx------", root().resolve("chunks"));
        int dirs = 0;
        try (Stream<Path> s = Files.list(root().resolve("chunks"))) {
            for (Path d : (Iterable<Path>) s::iterator) {
                assertMode("rwx------", d);
                dirs++;
            }
        }
        assertTrue(dirs > 0);
        List<Path> files = StoreTesting.files(root());
        for (Path f : files) {
            assertMode("rw-------", f);
            assertFalse(f.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX), f.toString());
        }
        assertTrue(files.contains(e.file()));
        assertTrue(files.contains(run.dir().resolve(RunInfo.FILE)));
        assertEquals(m.chunks().stream().map(c -> store.chunks().path(c.id())).collect(Collectors.toSet()),
            chunkFiles(root()));
    }

    // ---------------------------------------------------------------- incremental

    @Test
    void unchangedAndSlightlyChangedLargeArraysAddLittle() throws Exception {
        Store store = Store.openWithKey(root(), key(2), StoreOptions.defaults());
        Run run = store.createRun(info("Incremental"));
        byte[] bytes = new byte[256 << 20];
        LongBuffer longs = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        SplittableRandom r = new SplittableRandom(21);
        while (longs.hasRemaining()) {
            longs.put(r.nextLong());
        }
        byte[] header = random(22, 1000);

        CheckpointManifest first = bulkCheckpoint(run, header, bytes);
        assertTrue(first.addedBytes() >= 256 * MIB, "random longs do not compress: " + first.addedBytes());

        CheckpointManifest same = bulkCheckpoint(run, header, bytes);
        assertEquals(0, same.addedBytes(), "an identical checkpoint writes no chunk");
        assertEquals(first.chunks(), same.chunks());

        // change 1 % of the elements in one contiguous range, not aligned to anything
        int elements = bytes.length / Long.BYTES;
        int changed = elements / 100;
        int from = 10_000_019;
        for (int i = from; i < from + changed; i++) {
            longs.put(i, r.nextLong());
        }
        CheckpointManifest third = bulkCheckpoint(run, header, bytes);
        System.out.printf("Store incremental: first checkpoint added %d bytes, identical 0, 1 %% changed %d (%.2f %%)%n",
            first.addedBytes(), third.addedBytes(), 100.0 * third.addedBytes() / first.addedBytes());
        assertTrue(third.addedBytes() > 0);
        assertTrue(third.addedBytes() <= first.addedBytes() / 20, "1 % changed added " + third.addedBytes()
            + " bytes, more than 5 % of " + first.addedBytes());
        assertEquals(first.chunks().size(), third.chunks().size());
        run.verify(third);
        try (InputStream in = run.open(third)) {
            assertArrayEquals(header, in.readNBytes(header.length));
            byte[] buf = new byte[1 << 20];
            for (int off = 0; off < bytes.length; off += buf.length) {
                assertEquals(buf.length, in.readNBytes(buf, 0, buf.length));
                if (!java.util.Arrays.equals(buf, 0, buf.length, bytes, off, off + buf.length)) {
                    fail("checkpoint 3 differs from the array in the MiB at " + off);
                }
            }
            assertArrayEquals(java.util.Arrays.copyOf(header, 10), in.readNBytes(100));
            assertEquals(-1, in.read());
        }
    }

    private static CheckpointManifest bulkCheckpoint(Run run, byte[] header, byte[] array) throws Exception {
        CheckpointWriter w = run.begin("array");
        w.write(header);
        writeBulk(w, array);
        w.write(header, 0, 10);
        return w.publish(new byte[0]).get().manifest();
    }

    @Test
    void insertionNearTheStartChangesOnlyTheChunksAroundIt() throws Exception {
        Store store = Store.openWithKey(root(), key(3), StoreOptions.defaults());
        Run run = store.createRun(info("Shift"));
        byte[] data = random(31, 64 << 20);
        CheckpointManifest first = checkpoint(run, "a", data, new byte[0]).manifest();

        byte[] inserted = concat(java.util.Arrays.copyOf(data, 1000), random(32, 100),
            java.util.Arrays.copyOfRange(data, 1000, data.length));
        CheckpointManifest second = checkpoint(run, "b", inserted, new byte[0]).manifest();

        Set<ChunkId> before = first.chunks().stream().map(ChunkRef::id).collect(Collectors.toSet());
        long fresh = second.chunks().stream().filter(c -> !before.contains(c.id())).count();
        System.out.printf("Store shift: 64 MiB in %d chunks; after inserting 100 bytes %d new chunk(s), %d bytes added%n",
            first.chunks().size(), fresh, second.addedBytes());
        assertTrue(first.chunks().size() >= 8, "content-defined chunks: " + first.chunks().size());
        assertTrue(fresh >= 1 && fresh <= 2, fresh + " new chunks");
        assertTrue(second.addedBytes() <= 2L * CheckpointWriter.MAX_CHUNK, second.addedBytes() + " bytes added");
        assertArrayEquals(inserted, readAll(run, second));
    }

    // ---------------------------------------------------------------- ordering

    @Test
    void checkpointsPublishInOrderEvenWhenHandedOverQuickly() throws Exception {
        Store store = Store.openWithKey(root(), key(4), StoreOptions.defaults());
        Run run = store.createRun(info("Order"));
        int n = 10;
        List<CompletableFuture<Published>> futures = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        ConcurrentLinkedQueue<Integer> completed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        for (int k = 1; k <= n; k++) {
            byte[] d = random(400 + k, 600_000 + k * 150_000);
            data.add(d);
            CheckpointWriter w = run.begin("step " + k);
            assertEquals(k, w.sequence());
            writeIrregular(w, d, k);
            CompletableFuture<Published> f = w.publish(new byte[] {(byte) k});
            int seq = k;
            // runs on the publisher as soon as k is published (or here, if it already is)
            f.whenComplete((p, t) -> {
                completed.add(seq);
                for (int j = 1; j < seq; j++) {
                    if (!Files.exists(run.manifestPath(j, "step " + j))) {
                        violations.add("checkpoint " + seq + " was published before " + j);
                    }
                }
            });
            futures.add(f);
        }
        for (int k = 1; k <= n; k++) {
            Published p = futures.get(k - 1).get();
            assertEquals(k, p.manifest().sequence());
            for (int j = 1; j < k; j++) {
                assertTrue(Files.exists(run.manifestPath(j, "step " + j)), j + " before " + k);
            }
        }
        assertEquals(List.of(), new ArrayList<>(violations));
        List<Integer> expected = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            expected.add(k);
        }
        assertEquals(expected, new ArrayList<>(completed));
        List<CheckpointEntry> entries = run.checkpoints();
        assertEquals(expected, entries.stream().map(CheckpointEntry::sequence).collect(Collectors.toList()));
        for (int k = 1; k <= n; k++) {
            CheckpointManifest m = run.manifest(entries.get(k - 1));
            assertEquals(k - 1, m.parent());
            assertArrayEquals(new byte[] {(byte) k}, m.meta());
            assertArrayEquals(data.get(k - 1), readAll(run, m));
        }
    }

    @Test
    void twoWritersOpenAtOnceBothPublishReadableManifests() throws Exception {
        Store store = Store.openWithKey(root(), key(5), StoreOptions.defaults());
        Run run = store.createRun(info("TwoWriters"));
        byte[] a = random(51, 700_000);
        byte[] b = random(52, 900_000);
        CheckpointWriter w1 = run.begin("one");
        CheckpointWriter w2 = run.begin("two");
        assertEquals(1, w1.sequence());
        assertEquals(2, w2.sequence());
        w1.write(a);
        w2.write(b);
        Published p2 = w2.publish(new byte[] {2}).get(); // the later one is handed over first
        Published p1 = w1.publish(new byte[] {1}).get();
        for (Published p : List.of(p1, p2)) {
            assertTrue(p.manifest().parent() < p.manifest().sequence(), p.manifest().toString());
        }
        List<CheckpointEntry> entries = run.checkpoints();
        assertEquals(2, entries.size());
        assertArrayEquals(a, readAll(run, run.manifest(entries.get(0))));
        assertArrayEquals(b, readAll(run, run.manifest(entries.get(1))));
        // the next one follows the newest
        CheckpointManifest third = checkpoint(run, "three", a, new byte[0]).manifest();
        assertEquals(3, third.sequence());
        assertEquals(2, third.parent());
    }

    // ---------------------------------------------------------------- signature

    @Test
    void anotherKeyIsUntrustedUnlessTrustedAndDamageIsNotUntrusted() throws Exception {
        Store store = Store.openWithKey(root(), key(6), StoreOptions.defaults());
        Run run = store.createRun(info("Signed"));
        byte[] data = random(61, 1_000_000);
        checkpoint(run, "x", data, new byte[] {42});
        CheckpointEntry entry = run.checkpoints().get(0);

        // the run manifest under another key
        Store other = Store.openWithKey(root(), key(66), StoreOptions.defaults());
        UntrustedCheckpointException runUntrusted = assertThrows(UntrustedCheckpointException.class,
            () -> other.run(run.id()));
        assertTrue(runUntrusted.getMessage().contains("--trust"), runUntrusted.getMessage());
        assertTrue(runUntrusted.getMessage().contains(RunInfo.FILE), runUntrusted.getMessage());
        assertTrue(other.runs().isEmpty(), "an untrusted run is not listed");

        // a checkpoint manifest under another key (its run manifest re-signed so that the run loads)
        Path runManifest = run.dir().resolve(RunInfo.FILE);
        byte[] runBody = SignedFile.read(runManifest, RunInfo.MAGIC, RunInfo.WHAT, key(6), false);
        Path copy = tmp.resolve("copy");
        copyTree(root(), copy);
        SignedFile.write(copy.resolve("runs").resolve(run.id()).resolve(RunInfo.FILE), RunInfo.MAGIC, runBody,
            key(66));
        Store reSigned = Store.openWithKey(copy, key(66), StoreOptions.defaults());
        Run copied = reSigned.run(run.id());
        CheckpointEntry copiedEntry = copied.checkpoints().get(0);
        UntrustedCheckpointException untrusted = assertThrows(UntrustedCheckpointException.class,
            () -> copied.manifest(copiedEntry));
        assertTrue(untrusted.getMessage().contains("--trust"), untrusted.getMessage());
        assertTrue(untrusted.getMessage().contains(copiedEntry.file().toString()), untrusted.getMessage());

        // trusted, both load
        Store trusting = Store.openWithKey(root(), key(66), new StoreOptions(0, 0, 0, true,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run trustedRun = trusting.run(run.id());
        CheckpointManifest m = trustedRun.manifest(trustedRun.checkpoints().get(0));
        trustedRun.verify(m);
        assertArrayEquals(data, readAll(trustedRun, m));
        assertArrayEquals(new byte[] {42}, m.meta());

        // a damaged body is damage, not a signature problem, even with trust
        long size = Files.size(entry.file());
        for (long offset : new long[] {0, 5, 10, 20, size - 37, size - 33}) {
            byte[] pristine = Files.readAllBytes(entry.file());
            StoreTesting.flipBit(entry.file(), offset, 3);
            for (Store s : List.of(store, trusting)) {
                Run rr = s.run(run.id());
                CorruptCheckpointException damaged = assertThrows(CorruptCheckpointException.class,
                    () -> rr.manifest(rr.checkpoints().get(0)), "flip at " + offset);
                assertSame(CorruptCheckpointException.class, damaged.getClass(), damaged.getMessage());
                assertTrue(damaged.getMessage().contains(entry.file().toString()), damaged.getMessage());
            }
            Files.write(entry.file(), pristine);
        }
        // a damaged signature is a signature problem, and --trust accepts it
        StoreTesting.flipBit(entry.file(), size - 1, 0);
        assertThrows(UntrustedCheckpointException.class, () -> run.manifest(entry));
        assertArrayEquals(data, readAll(trustedRun, trustedRun.manifest(trustedRun.checkpoints().get(0))));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    // ---------------------------------------------------------------- keep

    @Test
    void keepLeavesTheNewestAndCollectsTheRest() throws Exception {
        Store store = Store.openWithKey(root(), key(7), new StoreOptions(2, 0, 0, false,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run run = store.createRun(info("Keep"));
        byte[] shared = random(70, 4 << 20);
        List<byte[]> data = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            CheckpointWriter w = run.begin("k" + k);
            writeBulk(w, shared);
            byte[] own = random(70 + k, 1_500_000);
            w.write(own);
            data.add(concat(shared, own));
            w.publish(new byte[0]).get();
        }
        List<CheckpointEntry> entries = run.checkpoints();
        assertEquals(List.of(4, 5), entries.stream().map(CheckpointEntry::sequence).collect(Collectors.toList()));
        Optional<GarbageCollector.Result> gc = GarbageCollector.collect(store, true);
        assertTrue(gc.isPresent());
        List<CheckpointManifest> kept = manifests(run);
        assertEquals(referenced(store, kept), chunkFiles(root()), "exactly the chunks of the kept checkpoints remain");
        for (int i = 0; i < kept.size(); i++) {
            run.verify(kept.get(i));
            assertArrayEquals(data.get(3 + i), readAll(run, kept.get(i)));
        }
    }

    // ---------------------------------------------------------------- quota

    @Test
    void quotaEvictsTheOldestAcrossRunsButNeverTheNewestOfARun() throws Exception {
        long unit = MIB + ChunkCodec.HEADER + ChunkCodec.TRAILER; // a 1 MiB random chunk, stored raw
        Store store = Store.openWithKey(root(), key(8), new StoreOptions(0, 0, 4 * MIB + MIB / 2, false,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run a = store.createRun(info("A"));
        Run b = store.createRun(info("B"));
        Run c = store.createRun(info("C"));
        String[] order = {"A1", "B1", "C1", "A2", "B2", "C2", "A3"};
        String[][] expectedAfter = {
            {"A1"}, {"A1", "B1"}, {"A1", "B1", "C1"}, {"A1", "A2", "B1", "C1"},
            {"A2", "B1", "B2", "C1"}, {"A2", "B2", "C1", "C2"}, {"A2", "A3", "B2", "C2"}};
        boolean[] evicts = {false, false, false, false, true, true, true};
        long seed = 800;
        for (int i = 0; i < order.length; i++) {
            Run run = order[i].charAt(0) == 'A' ? a : order[i].charAt(0) == 'B' ? b : c;
            long before = System.currentTimeMillis();
            Published p = bulkCheckpoint(run, order[i], random(seed++, (int) MIB));
            assertEquals(unit, p.manifest().storedSize());
            assertEquals(evicts[i], !p.notes().isEmpty(), order[i] + ": " + p.notes());
            if (evicts[i]) {
                assertEquals(1, p.notes().size(), p.notes().toString());
                assertTrue(p.notes().get(0).contains("evicted 1 old checkpoint"), p.notes().toString());
            }
            assertEquals(List.of(expectedAfter[i]), labels(store), "after " + order[i]);
            // the evicted checkpoints' chunks went with them
            assertEquals(expectedAfter[i].length * unit, chunkFiles(root()).stream().mapToLong(f -> size(f)).sum());
            StoreTesting.nextMillisecond(Math.max(before, p.manifest().timeMillis()));
        }

        // a quota smaller than the newest checkpoints: they stay, and the notes say so
        Path small = tmp.resolve("small");
        Store tight = Store.openWithKey(small, key(9), new StoreOptions(0, 0, MIB / 2, false,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run x = tight.createRun(info("X"));
        Run y = tight.createRun(info("Y"));
        Published x1 = bulkCheckpoint(x, "X1", random(900, (int) MIB));
        assertOverQuotaNote(x1.notes(), false);
        StoreTesting.nextMillisecond(x1.manifest().timeMillis());
        Published x2 = bulkCheckpoint(x, "X2", random(901, (int) MIB));
        assertOverQuotaNote(x2.notes(), true);
        Published y1 = bulkCheckpoint(y, "Y1", random(902, (int) MIB));
        assertOverQuotaNote(y1.notes(), false);
        assertEquals(List.of("X2", "Y1"), labels(tight));
        for (Run run : List.of(x, y)) {
            for (CheckpointManifest m : manifests(run)) {
                run.verify(m);
            }
        }
    }

    /** One checkpoint of one bulk region: a single chunk when at most 4 MiB. */
    private static Published bulkCheckpoint(Run run, String label, byte[] data) throws Exception {
        CheckpointWriter w = run.begin(label);
        writeBulk(w, data);
        return w.publish(new byte[0]).get();
    }

    private static void assertOverQuotaNote(List<String> notes, boolean evicted) {
        assertEquals(evicted ? 2 : 1, notes.size(), notes.toString());
        if (evicted) {
            assertTrue(notes.get(0).contains("evicted 1 old checkpoint"), notes.toString());
        }
        String over = notes.get(notes.size() - 1);
        assertTrue(over.contains("over its quota") && over.contains("only the newest checkpoint of each run"), over);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the labels of every checkpoint in the store, sorted */
    private static List<String> labels(Store store) {
        List<String> out = new ArrayList<>();
        for (Run r : store.runs()) {
            for (CheckpointEntry e : r.checkpoints()) {
                out.add(e.label());
            }
        }
        out.sort(null);
        return out;
    }

    // ---------------------------------------------------------------- max size

    @Test
    void aCheckpointOverMaxSizeIsRefusedAndTheNextOneWorks() throws Exception {
        Store store = Store.openWithKey(root(), key(10), new StoreOptions(0, MIB, 0, false,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run run = store.createRun(info("MaxSize"));
        byte[] big = random(101, 3 << 20);
        CheckpointWriter w = run.begin("big");
        CheckpointRefusedException refused = assertThrows(CheckpointRefusedException.class, () -> {
            for (int off = 0; off < big.length; off += 100_000) {
                w.write(big, off, Math.min(100_000, big.length - off));
            }
        });
        assertTrue(refused.getMessage().contains("--max-size"), refused.getMessage());
        assertTrue(refused.getMessage().contains("1.0 MiB"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> w.publish(new byte[0]));
        store.awaitWrites();
        assertEquals(List.of(), run.checkpoints(), "nothing published");

        byte[] fits = random(102, (int) MIB);
        Published p = checkpoint(run, "fits", fits, new byte[0]);
        assertEquals(MIB, p.manifest().rawSize());
        List<CheckpointEntry> entries = run.checkpoints();
        assertEquals(1, entries.size());
        assertArrayEquals(fits, readAll(run, run.manifest(entries.get(0))));
        // what the refused checkpoint had written goes at the next collection
        assertTrue(GarbageCollector.collect(store, true).isPresent());
        assertEquals(referenced(store, manifests(run)), chunkFiles(root()));
    }

    // ---------------------------------------------------------------- lock

    @Test
    void anotherProcessCannotWriteARunThisOneHoldsButCanReadIt() throws Exception {
        Store store = Store.openWithKey(root(), key(11), StoreOptions.defaults());
        Run run = store.createRun(info("Locked"));
        byte[] data = random(111, 2_000_000);
        checkpoint(run, "one", data, new byte[0]); // begin() took the run's lock

        Process probe = probe(run.id(), 11, "try");
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe did not end");
        assertEquals(0, probe.exitValue(), out);
        assertTrue(out.contains("READ 1 " + StoreTesting.sha256(data)), out);
        assertTrue(out.contains("REFUSED run " + run.id() + " is being written by another process (pid "
            + ProcessHandle.current().pid() + " on "), out);

        // once this process lets go, the other one can write
        run.close();
        Process writer = probe(run.id(), 11, "try");
        String out2 = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(writer.waitFor(120, TimeUnit.SECONDS), "probe did not end");
        assertTrue(out2.contains("ACQUIRED"), out2);
    }

    @Test
    void aRunHeldByAnotherProcessNamesItAndIsFreedWhenItDies() throws Exception {
        Store store = Store.openWithKey(root(), key(12), StoreOptions.defaults());
        Run run = store.createRun(info("Held"));
        byte[] data = random(121, 1_500_000);
        checkpoint(run, "one", data, new byte[0]);
        run.close();

        Process holder = probe(run.id(), 12, "hold");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8));
            String line = lines.readLine();
            assertEquals("HELD", line);
            RewindException e = assertThrows(RewindException.class, () -> run.begin("two"));
            assertTrue(e.getMessage().contains("(pid " + holder.pid() + " on "), e.getMessage());
            // reading needs no lock
            List<CheckpointEntry> entries = run.checkpoints();
            assertEquals(1, entries.size());
            CheckpointManifest m = run.manifest(entries.get(0));
            run.verify(m);
            assertArrayEquals(data, readAll(run, m));
            assertThrows(RewindException.class, run::removeAll);
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        // the OS dropped the dead holder's lock
        CheckpointWriter w = run.begin("two");
        assertEquals(2, w.sequence());
        w.write(data);
        assertEquals(1, w.publish(new byte[0]).get().manifest().parent());
    }

    @Test
    void aSecondWriterInTheSameJvmDoesNotDropTheLock() throws Exception {
        // two store objects on one folder (e.g. reached through a symbolic link, which Store.open does not
        // resolve): the second's attempt must not release the first's OS lock (POSIX locks go when the
        // process closes any descriptor of the file)
        Files.createDirectories(tmp.resolve("real"));
        Files.createSymbolicLink(root(), tmp.resolve("real"));
        Store first = Store.openWithKey(root(), key(19), StoreOptions.defaults());
        Run run = first.createRun(info("Twice"));
        checkpoint(run, "one", random(191, 600_000), new byte[0]);
        Store second = Store.openWithKey(tmp.resolve("real"), key(19), StoreOptions.defaults());
        Run again = second.run(run.id());
        RewindException e = assertThrows(RewindException.class, () -> again.begin("two"));
        assertTrue(e.getMessage().contains("is being written"), e.getMessage());
        assertThrows(RewindException.class, again::removeAll);
        assertTrue(Files.exists(run.dir().resolve(RunInfo.FILE)));

        Process probe = probe(run.id(), 19, "try");
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe did not end");
        assertTrue(out.contains("REFUSED run " + run.id() + " is being written by another process (pid "
            + ProcessHandle.current().pid() + " on "), "this process lost the run's lock: " + out);
        // and once the first lets go, the second can write
        run.close();
        CheckpointWriter w = again.begin("two");
        w.write(random(192, 600_000));
        assertEquals(2, w.publish(new byte[0]).get().manifest().sequence());
        again.close();
    }

    private Process probe(String runId, long keySeed, String mode) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StoreLockProbe.class.getName());
        cmd.add(root().toString());
        cmd.add(HexFormat.of().formatHex(StoreTesting.keyBytes(keySeed)));
        cmd.add(runId);
        cmd.add(mode);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    // ---------------------------------------------------------------- gc

    @Test
    void collectorRemovesWhatNoCheckpointUsesAndStaleTemporaries() throws Exception {
        Store store = Store.openWithKey(root(), key(13), StoreOptions.defaults());
        Run run = store.createRun(info("Gc"));
        byte[] shared = random(131, 4 << 20);
        byte[] onlyFirst = random(132, 4 << 20);
        byte[] onlySecond = random(133, 4 << 20);
        CheckpointManifest first = bulkPair(run, "first", shared, onlyFirst);
        CheckpointManifest second = bulkPair(run, "second", shared, onlySecond);
        assertEquals(first.chunks().get(0), second.chunks().get(0), "the shared piece is one chunk");
        assertEquals(3, chunkFiles(root()).size());

        // temporary files: of a dead process (stale), of a live one and of this one (in use)
        long dead = deadPid();
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        long self = ProcessHandle.current().pid();
        Path chunkFolder = store.chunks().folder(second.chunks().get(0).id());
        Path checkpoints = run.dir().resolve("checkpoints");
        List<Path> stale = List.of(
            Files.write(chunkFolder.resolve(".tmp-" + dead + "-7-abc"), new byte[10]),
            Files.write(checkpoints.resolve(".tmp-" + dead + "-8-0003-x.ckpt"), new byte[10]));
        List<Path> inUse = List.of(
            Files.write(chunkFolder.resolve(".tmp-" + live + "-9-abc"), new byte[10]),
            Files.write(checkpoints.resolve(".tmp-" + live + "-10-0003-x.ckpt"), new byte[10]),
            Files.write(chunkFolder.resolve(".tmp-" + self + "-11-abc"), new byte[10]),
            Files.write(chunkFolder.resolve(".tmp-notapid-abc"), new byte[10]));

        run.remove(run.checkpoints().get(0));
        GarbageCollector.Result result = GarbageCollector.collect(store, true).orElseThrow();
        assertEquals(1, result.chunks());
        assertEquals(first.chunks().get(1).fileLength(), result.bytes());
        assertEquals(2, result.temporaries());
        assertFalse(store.chunks().contains(first.chunks().get(1).id()), "only the removed checkpoint used it");
        assertTrue(store.chunks().contains(first.chunks().get(0).id()), "shared with the kept checkpoint");
        assertEquals(referenced(store, List.of(second)), chunkFiles(root()));
        for (Path p : stale) {
            assertFalse(Files.exists(p), p + " is stale");
        }
        for (Path p : inUse) {
            assertTrue(Files.exists(p), p + " belongs to a live process");
        }
        run.verify(second);
        assertArrayEquals(concat(shared, onlySecond), readAll(run, second));

        // a second collection has nothing to do
        assertEquals(new GarbageCollector.Result(0, 0, 0), GarbageCollector.collect(store, true).orElseThrow());
    }

    private static CheckpointManifest bulkPair(Run run, String label, byte[] a, byte[] b) throws Exception {
        CheckpointWriter w = run.begin(label);
        writeBulk(w, a);
        writeBulk(w, b);
        return w.publish(new byte[0]).get().manifest();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(p.isAlive());
        return p.pid();
    }

    @Test
    void collectorKeepsTheChunksOfRunsSignedWithAnotherKey() throws Exception {
        Store mine = Store.openWithKey(root(), key(14), StoreOptions.defaults());
        Run run = mine.createRun(info("Foreign"));
        byte[] data = random(141, 3_000_000);
        checkpoint(run, "one", data, new byte[0]);
        run.close();
        Set<Path> before = chunkFiles(root());

        // another user's (or a regenerated) key collects: it cannot load the run, but must not free its chunks
        Store other = Store.openWithKey(root(), key(15), StoreOptions.defaults());
        GarbageCollector.Result r = GarbageCollector.collect(other, true).orElseThrow();
        assertEquals(0, r.chunks(), "chunks of a run that is only untrusted were collected");
        assertEquals(before, chunkFiles(root()));
        Store trusting = Store.openWithKey(root(), key(15), new StoreOptions(0, 0, 0, true,
            StoreOptions.DEFAULT_WRITE_BUFFER));
        Run trusted = trusting.run(run.id());
        assertArrayEquals(data, readAll(trusted, trusted.manifest(trusted.checkpoints().get(0))));
    }

    // ---------------------------------------------------------------- what resume relies on

    @Test
    void verifyAndOpenNameTheBadChunkFile() throws Exception {
        Store store = Store.openWithKey(root(), key(17), StoreOptions.defaults());
        Run run = store.createRun(info("Verify"));
        byte[] data = concat(random(171, 4 << 20), random(172, 4 << 20), random(173, 4 << 20));
        CheckpointWriter w = run.begin("three pieces");
        writeBulk(w, data);
        CheckpointManifest m = w.publish(new byte[0]).get().manifest();
        assertEquals(3, m.chunks().size());
        Path missing = store.chunks().path(m.chunks().get(1).id());
        Path flipped = store.chunks().path(m.chunks().get(2).id());

        byte[] pristine = Files.readAllBytes(missing);
        Files.delete(missing);
        CorruptCheckpointException e1 = assertThrows(CorruptCheckpointException.class, () -> run.verify(m));
        assertTrue(e1.getMessage().contains(missing.toString()) && e1.getMessage().contains("missing"),
            e1.getMessage());
        CorruptCheckpointException p1 = assertThrows(CorruptCheckpointException.class, () -> run.checkPresent(m));
        assertTrue(p1.getMessage().contains(missing.toString()), p1.getMessage());
        CorruptCheckpointException o1 = assertThrows(CorruptCheckpointException.class, () -> readAll(run, m));
        assertTrue(o1.getMessage().contains(missing.toString()), o1.getMessage());

        Files.write(missing, pristine);
        Store again = Store.openWithKey(root(), key(17), StoreOptions.defaults());
        Run fresh = again.run(run.id());
        CheckpointManifest m2 = fresh.manifest(fresh.checkpoints().get(0));
        fresh.verify(m2); // restored
        StoreTesting.flipBit(flipped, 1000, 5);
        CorruptCheckpointException e2 = assertThrows(CorruptCheckpointException.class, () -> fresh.verify(m2));
        assertTrue(e2.getMessage().contains(flipped.toString()) && e2.getMessage().contains("damaged"),
            e2.getMessage());
        fresh.checkPresent(m2); // present, only damaged
        CorruptCheckpointException o2 = assertThrows(CorruptCheckpointException.class, () -> readAll(fresh, m2));
        assertTrue(o2.getMessage().contains(flipped.toString()), o2.getMessage());
        assertNotEquals(missing, flipped);
    }

    @Test
    void aRunWhoseManifestIsGoneIsReportedAsDamaged() throws Exception {
        Store store = Store.openWithKey(root(), key(18), StoreOptions.defaults());
        Run run = store.createRun(info("NoManifest"));
        checkpoint(run, "one", random(181, 600_000), new byte[0]);
        Files.delete(run.dir().resolve(RunInfo.FILE));
        Store again = Store.openWithKey(root(), key(18), StoreOptions.defaults());
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> again.run(run.id()));
        assertTrue(e.getMessage().contains(run.dir().resolve(RunInfo.FILE).toString()), e.getMessage());
        RewindException unknown = assertThrows(RewindException.class, () -> again.run("no-such-run"));
        assertFalse(unknown instanceof CorruptCheckpointException, unknown.toString());
        Set<String> ids = new HashSet<>();
        again.runs().forEach(r -> ids.add(r.id()));
        assertEquals(Set.of(), ids);
    }
}
