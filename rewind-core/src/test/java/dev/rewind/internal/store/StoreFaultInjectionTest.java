package dev.rewind.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills checkpoint writers ({@link StoreFaultWriter} child processes) with SIGKILL at random
 * points, mostly in the middle of a checkpoint, and checks after every kill that what the store had
 * published is intact and that a new writer process carries on in the same run.
 *
 * <p>{@code -Drewind.store.kills=N} (default 200) sets the number of kills of the main test (the
 * keep test does a tenth of them, at least 20, and goes on until three landed during --keep, up to
 * three times as many); {@code -Drewind.store.seed=S} repeats the choices of a run (not its
 * timing); {@code -Drewind.store.lanes=L} (default 2) how many runs are written at once;
 * {@code -Drewind.store.pruneAt=C} (default 240) at how many checkpoints a run is halved (and the
 * store collected) to keep long runs within bounds.
 */
@EnabledOnOs(OS.LINUX) // Process.destroyForcibly() is SIGKILL there
class StoreFaultInjectionTest {
    private static final int KILLS = Integer.getInteger("rewind.store.kills", 200);
    /**
     * Runs written at once, each by its own series of writer processes, in one store (their chunks
     * are shared): writers of one store meet at its chunks and gc.lock, and one's disk waits leave
     * time to the other.
     */
    private static final int LANES = Integer.getInteger("rewind.store.lanes", 2);
    /** When a run has this many checkpoints, the test removes the older half (long runs stay bounded). */
    private static final int PRUNE_AT = Integer.getInteger("rewind.store.pruneAt", 240);
    private static final int KEEP = 3;

    /** What the test has seen of one run and its writers so far. */
    private static final class Lane {
        final Run run;
        final Path keyFile;
        final SplittableRandom random;
        final TreeSet<Integer> published = new TreeSet<>();
        /** Nanoseconds from a writer's start to its first "writing" line (moving average). */
        double startup = 400e6;
        /** Nanoseconds from "writing K" to "published K": a writer's first checkpoint, its later ones. */
        double firstWrite;
        double laterWrite;
        /** Set while its writers run: aims kills at file writes. */
        TemporaryFileWatch watch;
        int kills;
        int aimedAtFiles;
        int beforeFirstWrite;
        int handingOver;
        int finishingInBackground;
        int betweenWrites;
        int unannounced;
        int leftTemporaries;
        int checkedFully;
        int prunes;

        Lane(Run run, Path keyFile, long seed) {
            this.run = run;
            this.keyFile = keyFile;
            this.random = new SplittableRandom(seed);
        }

        void learn(FaultWriterProcess w) {
            for (FaultWriterProcess.Line l : w.lines()) {
                if (l.text().startsWith("writing ")) {
                    startup = 0.8 * startup + 0.2 * (l.nanos() - w.startNanos);
                    break;
                }
            }
        }

        /** Learns how long checkpoints take from a writer that published three. */
        void calibrate(FaultWriterProcess w) {
            List<Integer> done = new ArrayList<>(w.published());
            double[] d = new double[3];
            for (int i = 0; i < 3; i++) {
                int s = done.get(i);
                d[i] = w.timeOf("published " + s) - w.timeOf("writing " + s);
            }
            firstWrite = d[0];
            laterWrite = (d[1] + d[2]) / 2;
        }

        /** Counts where the kill landed. */
        void classify(FaultWriterProcess w) {
            kills++;
            Set<Integer> open = new TreeSet<>(w.writing());
            open.removeAll(w.published());
            if (w.writing().isEmpty()) {
                beforeFirstWrite++;
            } else if (open.isEmpty()) {
                betweenWrites++;
            } else if (!w.handedOver().containsAll(open)) {
                handingOver++;
            } else {
                finishingInBackground++;
            }
        }

        int duringWrite() {
            return handingOver + finishingInBackground;
        }
    }

    @Test
    void killedWritersNeverDamagePublishedCheckpoints(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("rewind.store.seed", System.nanoTime());
        long t0 = System.nanoTime();
        Path keyFile = dir.resolve("key");
        Store store = Store.openWithKey(dir.resolve("store"), StoreKey.loadOrCreate(keyFile), StoreOptions.defaults());
        System.out.println("StoreFaultInjectionTest: " + KILLS + " kills in " + LANES + " runs, seed " + seed
            + " (-Drewind.store.seed=" + seed + " repeats the choices), store " + store.root());
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            Run run = store.createRun(RunInfo.now("run", "FaultWriter" + i, List.of("java", "StoreFaultWriter"), dir,
                ""));
            lanes.add(new Lane(run, keyFile, seed + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(LANES);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < LANES; i++) {
                Lane lane = lanes.get(i);
                int kills = KILLS / LANES + (i < KILLS % LANES ? 1 : 0);
                done.add(pool.submit(() -> {
                    killRepeatedly(store, lane, kills);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    for (Future<?> other : done) {
                        other.cancel(true);
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw (Exception) e.getCause();
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES), "lanes ended");
        }

        // every writer is dead: collect, then everything published must still be whole
        Optional<GarbageCollector.Result> gc = GarbageCollector.collect(store, true);
        assertTrue(gc.isPresent(), "the collector ran");
        assertEquals(List.of(), temporaries(store.root()), "no temporary file is left after a collection");
        Set<ChunkId> used = new HashSet<>();
        for (Lane lane : lanes) {
            List<CheckpointEntry> entries = lane.run.checkpoints();
            assertEquals(new ArrayList<>(lane.published), sequences(entries),
                "published checkpoints after the collection");
            List<Integer> sample = new ArrayList<>(lane.published);
            Collections.shuffle(sample, new Random(lane.random.nextLong()));
            Set<Integer> full = new HashSet<>(sample.subList(0, Math.min(5, sample.size())));
            full.add(lane.published.last());
            for (int i = 0; i < entries.size(); i++) {
                check(lane.run, entries, i, full.contains(entries.get(i).sequence()), lane)
                    .chunks().forEach(c -> used.add(c.id()));
            }
        }
        assertEquals(used, chunkFiles(store), "after a collection the store holds exactly the chunks in use");
        assertEquals(LANES, store.runs().size(), "each series of writers wrote into its own one run");

        Lane sum = new Lane(null, null, 0);
        StringBuilder runs = new StringBuilder();
        for (Lane l : lanes) {
            sum.kills += l.kills;
            sum.aimedAtFiles += l.aimedAtFiles;
            sum.beforeFirstWrite += l.beforeFirstWrite;
            sum.handingOver += l.handingOver;
            sum.finishingInBackground += l.finishingInBackground;
            sum.betweenWrites += l.betweenWrites;
            sum.unannounced += l.unannounced;
            sum.leftTemporaries += l.leftTemporaries;
            sum.checkedFully += l.checkedFully;
            sum.prunes += l.prunes;
            runs.append(String.format(" [run %s: %d published, last %d; first checkpoint %d ms, later %d ms]",
                l.run.id(), l.published.size(), l.published.last(), (long) (l.firstWrite / 1e6),
                (long) (l.laterWrite / 1e6)));
        }
        System.out.printf("StoreFaultInjectionTest: %d kills: %d during a write (%d while handing data over, %d while "
                + "the background writer finished it), %d between writes, %d before the first write; %d checkpoints "
                + "published but killed before saying so; %d kills left temporary files (%d kills were aimed at file "
                + "writes); %d checkpoints read back in full; %d prunes; final collection removed %s; %d s;%s%n",
            sum.kills, sum.duringWrite(), sum.handingOver, sum.finishingInBackground, sum.betweenWrites,
            sum.beforeFirstWrite, sum.unannounced, sum.leftTemporaries, sum.aimedAtFiles, sum.checkedFully, sum.prunes,
            gc.get(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), runs);
    }

    /** One run's series of writers: start one, kill it, check what it left, start the next. */
    private static void killRepeatedly(Store store, Lane lane, int kills) throws Exception {
        Run run = lane.run;
        lane.watch = new TemporaryFileWatch(store, run);
        FaultWriterProcess w = FaultWriterProcess.start(store.root(), run.id(), lane.keyFile, 0, 0.5, 30,
            lane.random.nextLong());
        try {
            int expectedNext = 1;
            for (int k = 0; k < kills; k++) {
                aimAndKill(w, lane, 0.0, 1.25, false);
                lane.classify(w);
                lane.learn(w);
                if (!w.writing().isEmpty()) {
                    assertEquals(expectedNext, w.writing().iterator().next(),
                        "a restarted writer continues after the newest published checkpoint\n" + w.transcript());
                }
                // what the kill left, taken before the next writer of this run starts
                List<CheckpointEntry> entries = run.checkpoints();
                String leftover = DurableFiles.TEMP_PREFIX + w.pid() + "-";
                if (temporaries(store.root()).stream().anyMatch(p -> p.getFileName().toString().startsWith(leftover))) {
                    lane.leftTemporaries++;
                }
                if (entries.size() >= PRUNE_AT) {
                    checkAfterKill(run, entries, lane, w, false);
                    prune(store, lane);
                    entries = run.checkpoints();
                }
                expectedNext = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).sequence() + 1;
                FaultWriterProcess killed = w;
                // the next writer starts while the checks run: it only adds checkpoints
                w = k + 1 < kills ? FaultWriterProcess.start(store.root(), run.id(), lane.keyFile, 0, 0.5, 30,
                    lane.random.nextLong()) : null;
                checkAfterKill(run, entries, lane, killed, k % 50 == 49);
            }
        } finally {
            try {
                if (w != null) {
                    w.destroy();
                }
            } finally {
                lane.watch.close();
            }
        }
    }

    @Test
    void killWhileApplyingKeepLeavesTheNewestCheckpoints(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("rewind.store.seed", System.nanoTime()) + LANES;
        int kills = Math.max(20, KILLS / 10);
        int hits = 3;
        long t0 = System.nanoTime();
        Path keyFile = dir.resolve("key");
        Store store = Store.openWithKey(dir.resolve("store"), StoreKey.loadOrCreate(keyFile), StoreOptions.defaults());
        Run run = store.createRun(RunInfo.now("run", "FaultWriter", List.of("java", "StoreFaultWriter"), dir, ""));
        Lane lane = new Lane(run, keyFile, seed);
        lane.watch = new TemporaryFileWatch(store, run);
        int overKeep = 0;
        int unused = 0;
        try {
            // goes on (up to three times as long) until some kills landed after a manifest was written and
            // before the writer said it was published: while --keep removed old checkpoints and collected
            for (int k = 0; k < kills || lane.unannounced < hits && k < 3 * kills; k++) {
                FaultWriterProcess w = FaultWriterProcess.start(store.root(), run.id(), keyFile, KEEP, 1.0, 0,
                    lane.random.nextLong());
                try {
                    // mostly at the end of a checkpoint: its manifest is written, then --keep removes old ones
                    // and collects
                    aimAndKill(w, lane, 0.0, 1.25, true);
                } finally {
                    w.destroy();
                }
                lane.classify(w);
                lane.learn(w);

                List<CheckpointEntry> entries = run.checkpoints();
                List<Integer> present = sequences(entries);
                TreeSet<Integer> known = new TreeSet<>(lane.published);
                known.addAll(w.published());
                known.addAll(present);
                List<Integer> newest = new ArrayList<>(known.descendingSet()).subList(0, Math.min(KEEP, known.size()));
                assertTrue(present.containsAll(newest), "the " + KEEP + " newest published checkpoints " + newest
                    + " survive a kill during --keep; present: " + present + "\n" + w.transcript());
                for (int s : present) {
                    if (!lane.published.contains(s) && !w.published().contains(s)) {
                        lane.unannounced++;
                    }
                }
                Set<ChunkId> used = new HashSet<>();
                for (int i = 0; i < entries.size(); i++) {
                    boolean content = i == entries.size() - 1 || !lane.published.contains(present.get(i));
                    check(run, entries, i, content, lane).chunks().forEach(c -> used.add(c.id()));
                }
                if (entries.size() > KEEP) {
                    overKeep++;
                }
                Set<ChunkId> files = chunkFiles(store);
                assertTrue(files.containsAll(used), "chunks of kept checkpoints are present");
                if (!used.containsAll(files)) {
                    unused++;
                }
                lane.published.addAll(known);
            }
        } finally {
            lane.watch.close();
        }
        assertTrue(GarbageCollector.collect(store, true).isPresent());
        assertEquals(List.of(), temporaries(store.root()), "no temporary file is left after a collection");
        List<CheckpointEntry> entries = run.checkpoints();
        assertTrue(sequences(entries).containsAll(new ArrayList<>(lane.published.descendingSet()).subList(0, KEEP)));
        Set<ChunkId> used = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            check(run, entries, i, true, lane).chunks().forEach(c -> used.add(c.id()));
        }
        assertEquals(used, chunkFiles(store), "after a collection the store holds exactly the chunks in use");
        System.out.printf("StoreFaultInjectionTest --keep %d: %d kills: %d during a write (%d while handing data over, "
                + "%d while the background writer finished it), %d between writes, %d before the first write; "
                + "%d after a manifest was written but before --keep and the collection were done; %d left more than "
                + "%d checkpoints, %d left unused chunks; %d checkpoints published; %d s%n",
            KEEP, lane.kills, lane.duringWrite(), lane.handingOver, lane.finishingInBackground, lane.betweenWrites,
            lane.beforeFirstWrite, lane.unannounced, overKeep, KEEP, unused, lane.published.size(),
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    }

    /**
     * A killed writer's temporary file stays behind under its process id, which Linux hands out
     * again (also to threads): the collector must not take the id's new owner for the writer.
     */
    @Test
    void temporaryFilesOfAReusedProcessIdAreCollected(@TempDir Path dir) throws IOException {
        Optional<Instant> started = ProcessHandle.of(1).flatMap(h -> h.info().startInstant());
        Assumptions.assumeTrue(started.isPresent(), "process 1's start time is known");
        Store store = Store.openWithKey(dir.resolve("store"), StoreKey.of(new byte[StoreKey.LENGTH]),
            StoreOptions.defaults());
        Path chunks = Files.createDirectories(store.root().resolve("chunks").resolve("ab"));
        Path checkpoints = Files.createDirectories(store.root().resolve("runs").resolve("r").resolve("checkpoints"));
        FileTime beforeBoot = FileTime.from(started.get().minus(Duration.ofHours(1)));
        // written before process 1 started, so by another, dead process that had the same id
        Path reusedChunk = Files.write(chunks.resolve(".tmp-1-7-ab" + "0".repeat(62)), new byte[10]);
        Files.setLastModifiedTime(reusedChunk, beforeBoot);
        Path reusedManifest = Files.write(checkpoints.resolve(".tmp-1-8-0001-x.ckpt"), new byte[10]);
        Files.setLastModifiedTime(reusedManifest, beforeBoot);
        // written now: process 1 may be writing it
        Path current = Files.write(chunks.resolve(".tmp-1-9-ab" + "1".repeat(62)), new byte[10]);

        GarbageCollector.Result r = GarbageCollector.collect(store, true).orElseThrow();
        assertEquals(2, r.temporaries());
        assertFalse(Files.exists(reusedChunk));
        assertFalse(Files.exists(reusedManifest));
        assertTrue(Files.exists(current), "a temporary file its process may still write stays");
    }

    /**
     * Kills the writer at a random point. The first writer of a run goes on until it has published
     * three checkpoints, to learn how long they take. Then: one time in ten soon after the start
     * (maybe before the first checkpoint); 15 in 100 just after a publication (between
     * checkpoints, or early in the next); 20 in 100 at once or at most 3 ms after the writer
     * created a temporary file (a chunk or manifest being written); else after the writer's 1st
     * (6 in 10), 2nd or 3rd (1 in 10) "writing" line, plus a random part ({@code from}..{@code to})
     * of the time such a checkpoint takes. With {@code nearPublication}, 55 in 100 are aimed at
     * files instead of 20, at manifests only, and up to 40 ms after one is created: the time it
     * takes to write it, rename it into place, and apply --keep.
     */
    private static void aimAndKill(FaultWriterProcess w, Lane lane, double from, double to, boolean nearPublication)
            throws InterruptedException {
        SplittableRandom random = lane.random;
        if (lane.firstWrite == 0) {
            w.await("published ", 3);
            lane.calibrate(w);
            w.kill();
            return;
        }
        long delay;
        int mode = random.nextInt(100);
        if (mode < 10) {
            delay = (long) (random.nextDouble() * 1.2 * lane.startup) - (System.nanoTime() - w.startNanos);
        } else if (mode < 25) {
            long at = w.await("published ", 1 + random.nextInt(2));
            delay = (long) (random.nextDouble() * 30e6) - (System.nanoTime() - at);
        } else if (mode < 45 || nearPublication && mode < 80) {
            // at a file write: with nearPublication, at a manifest's, after which --keep runs
            lane.aimedAtFiles++;
            String suffix = nearPublication ? CheckpointEntry.SUFFIX : "";
            if (!lane.watch.await(w.pid(), suffix, 60, TimeUnit.SECONDS)) {
                w.kill(); // fails, saying why, if the writer died or reported an error
                throw new AssertionError("writer " + w.pid() + " wrote no file in 60 s:\n" + w.transcript());
            }
            double most = nearPublication ? 40e6 : 3e6;
            delay = random.nextInt(3) == 0 ? 0 : (long) (random.nextDouble() * most);
        } else {
            int r = random.nextInt(10);
            int n = r < 6 ? 1 : r < 9 ? 2 : 3;
            long at = w.await("writing ", n);
            double took = n == 1 ? lane.firstWrite : lane.laterWrite;
            delay = (long) ((from + random.nextDouble() * (to - from)) * took) - (System.nanoTime() - at);
        }
        if (delay > 0) {
            LockSupport.parkNanos(delay); // the kill's random moment: nothing to await here
        }
        w.kill();
    }

    /**
     * The checks after one kill, on the checkpoints {@code entries} listed right after it: all
     * published ones are still there, the newest and the new ones verify and read back as written,
     * so do three random older ones (all of them with {@code verifyAll}), and every manifest reads.
     */
    private static void checkAfterKill(Run run, List<CheckpointEntry> entries, Lane lane, FaultWriterProcess w,
            boolean verifyAll) throws IOException {
        List<Integer> present = sequences(entries);
        for (CheckpointEntry e : entries) {
            assertFalse(e.file().getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX), e.file().toString());
        }
        assertTrue(present.containsAll(lane.published), "every checkpoint published before stays: had "
            + lane.published + ", now " + present);
        assertTrue(present.containsAll(w.published()), "every checkpoint the writer saw published is there: "
            + w.published() + " vs " + present);
        Set<Integer> fresh = new TreeSet<>(present);
        fresh.removeAll(lane.published);
        assertTrue(w.writing().containsAll(fresh), "new checkpoints " + fresh + " are ones this writer began\n"
            + w.transcript());
        for (int s : fresh) {
            if (!w.published().contains(s)) {
                lane.unannounced++;
            }
        }
        if (present.isEmpty()) {
            return;
        }
        Set<Integer> full = new HashSet<>(fresh);
        full.add(present.get(present.size() - 1));
        Set<Integer> verify = new HashSet<>();
        List<Integer> older = new ArrayList<>(lane.published);
        for (int i = 0; i < 3 && !older.isEmpty(); i++) {
            verify.add(older.get(lane.random.nextInt(older.size())));
        }
        for (int i = 0; i < entries.size(); i++) {
            int s = present.get(i);
            if (full.contains(s) || verify.contains(s) || verifyAll) {
                check(run, entries, i, full.contains(s), lane);
            } else {
                run.manifest(entries.get(i)); // whole and signed
            }
        }
        lane.published.addAll(present);
    }

    /**
     * Reads checkpoint {@code entries[i]}'s manifest, checks it, its place in the chain and all its
     * chunks; with {@code content}, also that its data is what the writer wrote.
     */
    private static CheckpointManifest check(Run run, List<CheckpointEntry> entries, int i, boolean content, Lane lane)
            throws IOException {
        CheckpointEntry e = entries.get(i);
        int s = e.sequence();
        CheckpointManifest m = run.manifest(e);
        assertEquals(s, m.sequence());
        assertEquals("fault", m.label());
        assertArrayEquals(FaultContent.meta(s), m.meta(), "metadata of " + s);
        if (i > 0) {
            assertEquals(entries.get(i - 1).sequence(), m.parent(), "parent of checkpoint " + s);
        }
        run.verify(m);
        if (content) {
            byte[] expected = FaultContent.bytes(s);
            assertEquals(expected.length, m.rawSize(), "size of checkpoint " + s);
            try (InputStream in = run.open(m)) {
                assertTrue(FaultContent.sameData(in, expected), "data of checkpoint " + s + " reads back as written");
            }
            lane.checkedFully++;
        }
        return m;
    }

    /**
     * Keeps long runs bounded: removes the older half of a run's checkpoints, collects (waiting for
     * the other runs' writers to let it), and verifies the rest.
     */
    private static void prune(Store store, Lane lane) throws IOException {
        List<CheckpointEntry> entries = lane.run.checkpoints();
        for (CheckpointEntry e : entries.subList(0, entries.size() / 2)) {
            lane.run.remove(e);
            lane.published.remove(e.sequence());
        }
        assertTrue(GarbageCollector.collect(store, true).isPresent());
        lane.prunes++;
        entries = lane.run.checkpoints();
        assertEquals(new ArrayList<>(lane.published), sequences(entries));
        for (int i = 0; i < entries.size(); i++) {
            check(lane.run, entries, i, i == entries.size() - 1, lane);
        }
    }

    static List<Integer> sequences(List<CheckpointEntry> entries) {
        List<Integer> out = new ArrayList<>();
        for (CheckpointEntry e : entries) {
            out.add(e.sequence());
        }
        return out;
    }

    /** @return every temporary file anywhere under {@code root}; files may come and go meanwhile */
    static List<Path> temporaries(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        collectTemporaries(root, out);
        Collections.sort(out);
        return out;
    }

    private static void collectTemporaries(Path dir, List<Path> out) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (p.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX)) {
                    out.add(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    collectTemporaries(p, out);
                }
            }
        } catch (NoSuchFileException gone) {
            // removed meanwhile
        }
    }

    /** @return the chunk files of the store, by id */
    static Set<ChunkId> chunkFiles(Store store) throws IOException {
        Set<ChunkId> out = new HashSet<>();
        store.chunks().forEach((file, size) -> {
            String name = file.getFileName().toString();
            if (!name.startsWith(DurableFiles.TEMP_PREFIX)) {
                out.add(ChunkId.fromHex(name));
            }
        });
        return out;
    }
}
