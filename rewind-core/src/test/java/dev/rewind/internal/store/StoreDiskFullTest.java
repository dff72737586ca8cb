package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store on a small file system that fills up, or that is (or becomes) read-only: the checkpoint
 * that cannot be written fails with a message saying so, leaves nothing behind, and everything
 * published before stays intact; once there is room again, writing works again.
 *
 * <p>The file systems are tmpfs mounted by the test, so it needs root on Linux; elsewhere it is
 * skipped, saying why.
 */
@EnabledOnOs(OS.LINUX)
class StoreDiskFullTest {
    private final SplittableRandom sizes = new SplittableRandom(7);

    /** A tmpfs mounted for one test, unmounted (lazily if still busy) when closed. */
    static final class Tmpfs implements AutoCloseable {
        final Path dir;

        private Tmpfs(Path dir) {
            this.dir = dir;
        }

        /** Mounts a tmpfs on {@code dir}, or skips the test saying why it cannot. */
        static Tmpfs mount(Path dir, String options) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            String problem = command("mount", "-t", "tmpfs", "-o", options + ",mode=0700", "tmpfs", dir.toString());
            if (problem != null) {
                String why = "StoreDiskFullTest skipped: cannot mount a size-limited tmpfs on " + dir
                    + " (this needs root on Linux; running as " + System.getProperty("user.name") + "): " + problem;
                System.out.println(why);
                Assumptions.abort(why);
            }
            return new Tmpfs(dir);
        }

        /** Remounts with other options, e.g. {@code ro} or {@code rw}. */
        void remount(String options) throws IOException, InterruptedException {
            String problem = command("mount", "-o", "remount," + options, dir.toString());
            assertEquals(null, problem, "remount " + options + " of " + dir);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            // free its memory even if this JVM keeps a file open on it (the store's gc.lock)
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // read-only, or gone: unmounting is what counts
            }
            if (command("umount", dir.toString()) != null) {
                String problem = command("umount", "-l", dir.toString());
                assertEquals(null, problem, "unmount " + dir);
            }
        }
    }

    /** @return null when the command succeeded, else what it said */
    static String command(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not end";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
    }

    /** The data of checkpoint {@code n} in these tests: about 3.5 MiB, little of it compressible. */
    static List<FaultContent.Segment> data(int n) {
        return List.of(
            new FaultContent.Segment(("disk-full checkpoint " + n + "\n").getBytes(StandardCharsets.US_ASCII), false),
            new FaultContent.Segment(FaultContent.text(0xD15C_0000L + n, 512 << 10), false),
            new FaultContent.Segment(FaultContent.random(0xF011_0000L + n, 1_500_000), false),
            new FaultContent.Segment(FaultContent.random(0xB01C_0000L + n, 6 << 19), true));
    }

    static byte[] meta(int n) {
        return ("meta " + n).getBytes(StandardCharsets.US_ASCII);
    }

    private static Store store(Path root) {
        byte[] key = new byte[StoreKey.LENGTH];
        new SplittableRandom(root.hashCode()).nextBytes(key);
        return Store.openWithKey(root, StoreKey.of(key), StoreOptions.defaults());
    }

    private static Run newRun(Store store, Path cwd) {
        return store.createRun(RunInfo.now("run", "DiskFull", List.of("java", "DiskFull"), cwd, ""));
    }

    /** A checkpoint handed over to the background writer. */
    record Handed(int sequence, int data, CompletableFuture<Published> future) {
    }

    /** Writes checkpoint data number {@code data} and hands it over to the background writer. */
    private Handed hand(Run run, int data) throws IOException {
        CheckpointWriter w = run.begin("cp");
        FaultContent.write(data(data), w, sizes);
        return new Handed(w.sequence(), data, w.publish(meta(data)));
    }

    private CompletableFuture<Published> begin(Run run, int data) throws IOException {
        return hand(run, data).future();
    }

    /** @return the exception a failed checkpoint's future completed with, which must be a RewindException */
    private static RewindException failure(CompletableFuture<Published> f) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(2, TimeUnit.MINUTES),
            "the checkpoint cannot be written");
        return assertInstanceOf(RewindException.class, e.getCause());
    }

    /** Checks the message of a checkpoint that could not be written. */
    private static void checkMessage(RewindException e, Store store, int sequence) {
        String m = e.getMessage();
        assertTrue(m.contains(String.format("checkpoint %04d", sequence)), m);
        assertTrue(m.contains("could not be written"), m);
        assertTrue(m.contains("Earlier checkpoints are intact"), m);
        assertTrue(m.contains(store.root().toString()), "names the store: " + m);
        assertTrue(m.contains("free space") && m.contains("writable"), "says what to check: " + m);
    }

    /**
     * Checks that the run's published checkpoints are exactly {@code expected} (sequence to data
     * number), that each verifies and reads back as written, and that no temporary file is left.
     */
    private static void checkIntact(Run run, List<int[]> expected) throws IOException {
        List<CheckpointEntry> entries = run.checkpoints();
        List<Integer> want = new ArrayList<>();
        for (int[] e : expected) {
            want.add(e[0]);
        }
        assertEquals(want, StoreFaultInjectionTest.sequences(entries), "published checkpoints");
        for (int i = 0; i < entries.size(); i++) {
            CheckpointManifest m = run.manifest(entries.get(i));
            run.verify(m);
            int data = expected.get(i)[1];
            assertArrayEquals(meta(data), m.meta());
            try (InputStream in = run.open(m)) {
                assertTrue(FaultContent.sameData(in, FaultContent.bytes(data(data))),
                    "checkpoint " + m.sequence() + " reads back as written");
            }
        }
        assertEquals(List.of(), StoreFaultInjectionTest.temporaries(run.store().root()), "temporary files left");
    }

    @Test
    void aFullDiskFailsTheCheckpointAndKeepsTheEarlierOnes(@TempDir Path dir) throws Exception {
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("fs"), "size=40m")) {
            Store store = store(fs.dir.resolve("store"));
            Run run = newRun(store, dir);
            List<int[]> published = new ArrayList<>();
            RewindException failure = null;
            // like the engine: the program goes on while the previous checkpoint is written
            Handed previous = null;
            for (int n = 1; n <= 40 && failure == null; n++) {
                Handed h = hand(run, n);
                if (previous != null) {
                    failure = settle(previous, published, store);
                }
                previous = h;
            }
            RewindException last = settle(previous, published, store);
            failure = failure != null ? failure : last;
            assertNotNull(failure, "a 40 MiB disk fills up with 40 checkpoints of 3.5 MiB");
            assertTrue(published.size() >= 3, "some checkpoints fit: " + published.size());
            System.out.println("StoreDiskFullTest: the disk filled up after " + published.size() + " checkpoints: "
                + failure.getMessage());
            checkIntact(run, published);

            // make room: drop the two oldest, collect what they and the failed checkpoint left
            List<CheckpointEntry> entries = run.checkpoints();
            run.remove(entries.get(0));
            run.remove(entries.get(1));
            published.subList(0, 2).clear();
            Optional<GarbageCollector.Result> gc = GarbageCollector.collect(store, true);
            assertTrue(gc.isPresent() && gc.get().chunks() > 0, "the collection freed chunks: " + gc);
            CompletableFuture<Published> again = begin(run, 100);
            Published p = again.get(2, TimeUnit.MINUTES);
            assertEquals(published.get(published.size() - 1)[0], p.manifest().parent(),
                "its parent is the newest published checkpoint, not a failed one");
            published.add(new int[] {p.manifest().sequence(), 100});
            checkIntact(run, published);
        }
    }

    /**
     * Waits for a checkpoint: published, it is recorded as {@code (sequence, data)}; failed, its
     * message is checked and returned.
     */
    private static RewindException settle(Handed h, List<int[]> published, Store store) throws Exception {
        try {
            Published p = h.future().get(2, TimeUnit.MINUTES);
            assertEquals(h.sequence(), p.manifest().sequence());
            published.add(new int[] {h.sequence(), h.data()});
            return null;
        } catch (ExecutionException e) {
            RewindException r = assertInstanceOf(RewindException.class, e.getCause());
            checkMessage(r, store, h.sequence());
            return r;
        }
    }

    @Test
    void aManifestThatFindsTheDiskFullIsNotPublished(@TempDir Path dir) throws Exception {
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("fs"), "size=16m")) {
            Store store = store(fs.dir.resolve("store"));
            Run run = newRun(store, dir);
            begin(run, 1).get(2, TimeUnit.MINUTES);
            // fill the disk to the last byte
            Path filler = fs.dir.resolve("filler");
            long filled = 0;
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[64 << 10];
                for (int n = 4096; n > 0; ) {
                    try {
                        out.write(block, 0, n);
                        filled += n;
                    } catch (IOException full) {
                        n /= 2;
                    }
                }
            } catch (IOException full) {
                // closing may fail too
            }
            assertTrue(filled > 0);
            // the same data again: every chunk is in the store already, only the manifest needs room
            Set<ChunkId> chunks = StoreFaultInjectionTest.chunkFiles(store);
            RewindException e = failure(begin(run, 1));
            assertEquals(chunks, StoreFaultInjectionTest.chunkFiles(store), "no chunk was written");
            checkMessage(e, store, 2);
            System.out.println("StoreDiskFullTest: manifest on a full disk: " + e.getMessage());
            checkIntact(run, List.<int[]>of(new int[] {1, 1}));

            Files.delete(filler);
            Published p = begin(run, 3).get(2, TimeUnit.MINUTES);
            assertEquals(3, p.manifest().sequence());
            assertEquals(1, p.manifest().parent(), "the failed checkpoint is not anyone's parent");
            checkIntact(run, List.of(new int[] {1, 1}, new int[] {3, 3}));
        }
    }

    @Test
    void aReadOnlyStoreRefusesToWriteAndNamesTheStore(@TempDir Path dir) throws Exception {
        // a store with one checkpoint, written elsewhere, then copied onto a file system made read-only
        Store original = store(dir.resolve("store"));
        Run written = newRun(original, dir);
        begin(written, 1).get(2, TimeUnit.MINUTES);
        written.close();
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("ro"), "size=40m")) {
            Path root = fs.dir.resolve("store");
            try (Stream<Path> all = Files.walk(original.root())) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Files.copy(p, root.resolve(original.root().relativize(p).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            fs.remount("ro");
            Store store = Store.openWithKey(root, original.key(), StoreOptions.defaults());
            Run run = store.run(written.id());
            checkIntact(run, List.<int[]>of(new int[] {1, 1})); // reading needs no writing

            RewindException begin = assertThrows(RewindException.class, () -> run.begin("cp"));
            System.out.println("StoreDiskFullTest: begin on a read-only store: " + begin.getMessage());
            assertTrue(begin.getMessage().contains("store " + store.root()), "names the store: " + begin.getMessage());
            assertInstanceOf(IOException.class, begin.getCause(), "the file system refused: " + begin.getMessage());
            assertTrue(begin.getMessage().contains("writable"), "says what to check: " + begin.getMessage());
            RewindException create = assertThrows(RewindException.class, () -> newRun(store, dir));
            assertTrue(create.getMessage().contains("store " + store.root()),
                "names the store: " + create.getMessage());
            RewindException gc = assertThrows(RewindException.class, () -> GarbageCollector.collect(store, true));
            assertTrue(gc.getMessage().contains("store " + store.root()), "names the store: " + gc.getMessage());
            assertEquals(1, store.runs().size());
            checkIntact(run, List.<int[]>of(new int[] {1, 1}));
        }
    }

    @Test
    void chunksThatBecomeReadOnlyUnderAWriterFailThePublication(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("store");
        try (Tmpfs chunks = Tmpfs.mount(root.resolve("chunks"), "size=40m")) {
            Store store = store(root);
            Run run = newRun(store, dir);
            begin(run, 1).get(2, TimeUnit.MINUTES);
            chunks.remount("ro");
            RewindException e = failure(begin(run, 2));
            checkMessage(e, store, 2);
            assertInstanceOf(IOException.class, e.getCause(), "the file system refused: " + e.getMessage());
            System.out.println("StoreDiskFullTest: chunks read-only under a writer: " + e.getMessage());
            checkIntact(run, List.<int[]>of(new int[] {1, 1}));
            chunks.remount("rw");
            assertEquals(3, begin(run, 3).get(2, TimeUnit.MINUTES).manifest().sequence());
            checkIntact(run, List.of(new int[] {1, 1}, new int[] {3, 3}));
        }
    }

    @Test
    void aCheckpointsFolderThatBecomesReadOnlyFailsThePublication(@TempDir Path dir) throws Exception {
        Store store = store(dir.resolve("store"));
        Run run = newRun(store, dir);
        try (Tmpfs checkpoints = Tmpfs.mount(run.dir().resolve("checkpoints"), "size=1m")) {
            begin(run, 1).get(2, TimeUnit.MINUTES);
            checkpoints.remount("ro");
            RewindException e = failure(begin(run, 2));
            checkMessage(e, store, 2);
            System.out.println("StoreDiskFullTest: checkpoints folder read-only under a writer: " + e.getMessage());
            checkIntact(run, List.<int[]>of(new int[] {1, 1}));
            // the failed checkpoint's chunks are unused: the collector takes them
            Optional<GarbageCollector.Result> gc = GarbageCollector.collect(store, true);
            assertTrue(gc.isPresent() && gc.get().chunks() > 0, "chunks of the failed checkpoint are collected: " + gc);
            checkpoints.remount("rw");
            assertEquals(3, begin(run, 3).get(2, TimeUnit.MINUTES).manifest().sequence());
            checkIntact(run, List.of(new int[] {1, 1}, new int[] {3, 3}));
        }
    }
}
