package dev.rewind.internal.store;

import static dev.rewind.internal.store.StoreTesting.concat;
import static dev.rewind.internal.store.StoreTesting.random;
import static dev.rewind.internal.store.StoreTesting.text;
import static dev.rewind.internal.store.StoreTesting.writeBulk;
import static dev.rewind.internal.store.StoreTesting.writeIrregular;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.CorruptCheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages a store one file at a time, at random, and loads every checkpoint after each damage: every
 * checkpoint that uses the damaged file must fail with a {@link CorruptCheckpointException} (never
 * another exception, never wrong bytes), every other one must load exactly.
 *
 * <p>{@code -Drewind.store.corruptions=N} runs N cases (default 1000), {@code -Drewind.store.corruptions.seed=S}
 * another series.
 */
class StoreCorruptionTest {
    private static final int CASES = Integer.getInteger("rewind.store.corruptions", 1000);
    private static final long SEED = Long.getLong("rewind.store.corruptions.seed", 20_261_121L);

    enum Kind { FLIP, TRUNCATE, DELETE, SWAP }

    enum Target { CHUNK, CHECKPOINT_MANIFEST, RUN_MANIFEST }

    /** A published checkpoint as the pristine store holds it. */
    record Expected(String runId, Path file, int sequence, String label, byte[] meta, byte[] data, Set<Path> chunks) {
    }

    @TempDir
    Path tmp;

    @Test
    void everyDamagedCheckpointIsDetectedAndEveryOtherLoads() throws Exception {
        Path root = tmp.resolve("store");
        StoreKey key = StoreTesting.key(99);
        List<Expected> expected = build(root, key);

        List<Path> chunkFiles = new ArrayList<>(StoreTesting.chunkFiles(root));
        chunkFiles.sort(null);
        List<Path> checkpointFiles = new ArrayList<>();
        List<Path> runFiles = new ArrayList<>();
        for (Expected e : expected) {
            checkpointFiles.add(e.file());
            Path runManifest = e.file().getParent().getParent().resolve(RunInfo.FILE);
            if (!runFiles.contains(runManifest)) {
                runFiles.add(runManifest);
            }
        }
        Map<Path, byte[]> pristine = new LinkedHashMap<>();
        for (Path f : StoreTesting.files(root)) {
            pristine.put(f, Files.readAllBytes(f));
        }
        System.out.printf("Store corruption: pristine store of %d checkpoints in %d runs, %d chunk files, %d files,"
            + " %d bytes of data%n", expected.size(), runFiles.size(), chunkFiles.size(), pristine.size(),
            expected.stream().mapToLong(e -> e.data().length).sum());

        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, int[]> perKind = new TreeMap<>(); // kind/target -> {cases, damaged checkpoints detected}
        Map<String, Integer> stages = new TreeMap<>();
        int detected = 0;
        int intact = 0;
        long start = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            int pick = random.nextInt(10);
            Target target = pick < 6 ? Target.CHUNK : pick < 9 ? Target.CHECKPOINT_MANIFEST : Target.RUN_MANIFEST;
            List<Path> pool = target == Target.CHUNK ? chunkFiles : target == Target.CHECKPOINT_MANIFEST
                ? checkpointFiles : runFiles;
            Path file = pool.get(random.nextInt(pool.size()));
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            if (kind == Kind.SWAP && pool.size() < 2) {
                kind = Kind.FLIP;
            }
            byte[] original = pristine.get(file);
            String what;
            IoAction restore = () -> Files.write(file, original);
            switch (kind) {
                case FLIP: {
                    int offset = random.nextInt(original.length);
                    int bit = random.nextInt(8);
                    writeAt(file, offset, new byte[] {(byte) (original[offset] ^ (1 << bit))});
                    restore = () -> writeAt(file, offset, new byte[] {original[offset]});
                    what = "bit " + bit + " of byte " + offset;
                    break;
                }
                case TRUNCATE: {
                    int length = random.nextInt(original.length);
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(length);
                    }
                    restore = () -> writeAt(file, length, Arrays.copyOfRange(original, length, original.length));
                    what = "to " + length + " of " + original.length + " bytes";
                    break;
                }
                case DELETE:
                    Files.delete(file);
                    what = "";
                    break;
                default: {
                    Path other;
                    do {
                        other = pool.get(random.nextInt(pool.size()));
                    } while (other.equals(file));
                    Files.write(file, pristine.get(other));
                    what = "replaced by " + other.getFileName();
                    break;
                }
            }
            String damage = "case " + c + ": " + kind + " " + target + " " + file + " " + what;
            Set<Path> before = new HashSet<>(StoreTesting.files(root));

            Store store = Store.openWithKey(root, key, StoreOptions.defaults());
            int[] counts = perKind.computeIfAbsent(kind + " " + target, k -> new int[2]);
            counts[0]++;
            for (Expected e : expected) {
                boolean damaged = e.file().equals(file) || e.chunks().contains(file)
                    || (target == Target.RUN_MANIFEST && e.file().getParent().getParent().equals(file.getParent()));
                String stage = load(store, e, damaged, damage);
                if (damaged) {
                    detected++;
                    counts[1]++;
                    stages.merge(target + " -> " + stage, 1, Integer::sum);
                } else {
                    intact++;
                }
            }
            assertEquals(before, new HashSet<>(StoreTesting.files(root)), "reading changed the store: " + damage);
            restore.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Store corruption: %d cases in %.1f s (seed %d): %d damaged checkpoint loads, all detected;"
            + " %d undamaged loads, all exact%n", CASES, seconds, SEED, detected, intact);
        for (Map.Entry<String, int[]> k : perKind.entrySet()) {
            System.out.printf("Store corruption:   %-34s %5d cases, %5d damaged checkpoints detected%n", k.getKey(),
                k.getValue()[0], k.getValue()[1]);
        }
        for (Map.Entry<String, Integer> s : stages.entrySet()) {
            System.out.printf("Store corruption:   detected at %-40s %5d%n", s.getKey(), s.getValue());
        }
        assertTrue(CASES < 100 || detected >= CASES, "too few damaged checkpoints: " + detected);
        for (Kind k : Kind.values()) {
            for (Target t : Target.values()) {
                if (CASES >= 1000 && !(k == Kind.SWAP && t == Target.RUN_MANIFEST)) {
                    assertTrue(perKind.containsKey(k + " " + t), "no case of " + k + " " + t);
                }
            }
        }
        // and the restored store is whole again
        for (Map.Entry<Path, byte[]> f : pristine.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(f.getKey()), "not restored: " + f.getKey());
        }
        Store store = Store.openWithKey(root, key, StoreOptions.defaults());
        for (Expected e : expected) {
            load(store, e, false, "restored");
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    private static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }

    /**
     * Loads one checkpoint the way resume does: its run, its manifest (by file, as `--from` does), all its
     * chunks, then its data.
     *
     * @return where a damaged checkpoint was detected
     */
    private static String load(Store store, Expected e, boolean damaged, String damage) throws IOException {
        String stage = "run";
        try {
            Run run = store.run(e.runId());
            stage = "manifest";
            CheckpointManifest m = run.manifest(run.entry(e.file()));
            assertEquals(e.label(), m.label(), damage);
            assertArrayEquals(e.meta(), m.meta(), damage);
            stage = "verify";
            run.verify(m);
            stage = "open";
            byte[] data = StoreTesting.readAll(run, m);
            if (damaged) {
                throw new AssertionError("damage not detected" + (Arrays.equals(data, e.data()) ? "" : ", and the data "
                    + "read back is WRONG") + ": checkpoint " + e.sequence() + " of " + e.runId() + " after " + damage);
            }
            assertArrayEquals(e.data(), data, "an undamaged checkpoint read back wrong after " + damage);
            return "loaded";
        } catch (CorruptCheckpointException x) {
            if (!damaged) {
                throw new AssertionError("undamaged checkpoint " + e.sequence() + " of " + e.runId() + " failed at "
                    + stage + " after " + damage + ": " + x, x);
            }
            if (stage.equals("verify")) {
                // verify found it; reading must find it too, on its own
                Run run = store.run(e.runId());
                CheckpointManifest m = run.manifest(run.entry(e.file()));
                try (InputStream in = run.open(m)) {
                    in.readAllBytes();
                    throw new AssertionError("verify saw damage that reading did not: " + damage);
                } catch (CorruptCheckpointException expected) {
                    // good
                }
            }
            return stage;
        } catch (AssertionError x) {
            throw x;
        } catch (Throwable x) {
            throw new AssertionError("checkpoint " + e.sequence() + " of " + e.runId() + " failed with " + x
                + " (not a CorruptCheckpointException) at " + stage + " after " + damage, x);
        }
    }

    /**
     * Two runs, five checkpoints of about 1.3 MB that share some chunks. Each small bulk region and
     * each stretch of ordinary data between two of them becomes its own chunk, so the store has many
     * small chunks (content-defined chunks are at least 512 KiB) and every case stays cheap.
     */
    private static List<Expected> build(Path root, StoreKey key) throws Exception {
        Store store = Store.openWithKey(root, key, StoreOptions.defaults());
        Run program = store.createRun(StoreTesting.info("Program"));
        Run state = store.namedRun("state", "corruption", StoreTesting.info("state"));
        byte[][] shared = {random(1, 200_000), text(2, 250_000), random(3, 150_000), text(4, 120_000),
            random(5, 180_000)};
        byte[] changed = shared[0].clone();
        changed[12345] ^= 1;
        List<Expected> out = new ArrayList<>();
        // segments: a shared one by index, or a fresh one; odd positions are bulk regions
        out.add(publish(store, program, "one", shared[0], shared[1], random(10, 130_000), shared[2],
            random(11, 170_000), shared[3], random(12, 100_000)));
        out.add(publish(store, program, "two", shared[0], shared[1], random(20, 140_000), shared[2],
            text(21, 160_000), shared[4], random(22, 90_000)));
        out.add(publish(store, program, "three", changed, shared[1], random(30, 120_000), shared[3],
            random(31, 200_000), shared[4]));
        out.add(publish(store, state, "v1", shared[0], random(40, 150_000), shared[2], random(41, 110_000),
            random(42, 160_000)));
        out.add(publish(store, state, "v2", random(50, 100_000), text(51, 300_000), random(52, 180_000),
            shared[3]));
        store.awaitWrites();
        program.close();
        state.close();
        // the lock files are not part of the data
        Files.deleteIfExists(program.dir().resolve(RunLock.FILE));
        Files.deleteIfExists(state.dir().resolve(RunLock.FILE));
        Files.deleteIfExists(root.resolve("gc.lock"));
        return out;
    }

    /** Writes the segments, every other one (from the first) as a bulk region. */
    private static Expected publish(Store store, Run run, String label, byte[]... segments) throws Exception {
        CheckpointWriter w = run.begin(label);
        for (int i = 0; i < segments.length; i++) {
            if (i % 2 == 0) {
                writeBulk(w, segments[i]);
            } else {
                writeIrregular(w, segments[i], label.hashCode() + i);
            }
        }
        byte[] meta = ("meta of " + label).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CheckpointManifest m = w.publish(meta).get().manifest();
        Set<Path> chunks = new HashSet<>();
        for (ChunkRef c : m.chunks()) {
            chunks.add(store.chunks().path(c.id()));
        }
        assertEquals(segments.length, m.chunks().size(), "one chunk per segment");
        return new Expected(run.id(), run.manifestPath(m.sequence(), label), m.sequence(), label, meta,
            concat(segments), chunks);
    }
}
