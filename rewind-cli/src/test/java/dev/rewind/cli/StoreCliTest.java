package dev.rewind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.ChunkRef;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store through the command line, with a real program (the heat simulation example) run under
 * {@code rewind run}: bounds, damage and fallback, signatures, ls, rm and gc.
 */
class StoreCliTest {
    private static final String EXAMPLE = "dev.rewind.examples.HeatSimulation";

    @TempDir
    Path tmp;


    @AfterEach
    void forgetKey() {
        System.clearProperty("rewind.keyFile");
    }

    /** Runs the example to its end (10 checkpoints, one every 100 steps) with extra `rewind run` options. */
    private Run runExample(Path store, String... options) {
        CliRunner.Result r = runExampleRaw(store, List.of("1000", "20000"), options);
        assertEquals(0, r.code(), r.err());
        List<Run> runs = Store.open(store, StoreOptions.defaults()).runs();
        return runs.get(runs.size() - 1);
    }

    @Test
    void keepBoundsTheRunAndLsShowsSizesAndDedup() {
        Path store = tmp.resolve("s");
        Run run = runExample(store, "--keep", "3");
        List<CheckpointEntry> left = run.checkpoints();
        assertEquals(List.of(8, 9, 10), left.stream().map(CheckpointEntry::sequence).toList());
        CliRunner.Result ls = CliRunner.run("ls", "--store", store.toString());
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().contains("0010  \"step 1000\"") && ls.out().contains("added"), ls.out());
        assertTrue(ls.out().contains("3 checkpoint(s)") && ls.out().contains("dedup ratio"), ls.out());
    }

    @Test
    void resumeSkipsADamagedNewestCheckpointAndNamesTheChunk() throws Exception {
        Path store = tmp.resolve("s");
        Run run = runExample(store);
        List<CheckpointEntry> all = run.checkpoints();
        CheckpointManifest newest = run.manifest(all.get(all.size() - 1));
        Set<String> older = new HashSet<>();
        for (ChunkRef c : run.manifest(all.get(all.size() - 2)).chunks()) {
            older.add(c.id().hex());
        }
        ChunkRef own = newest.chunks().stream().filter(c -> !older.contains(c.id().hex())).findFirst().orElseThrow();
        Path chunk = store.resolve("chunks").resolve(own.id().hex().substring(0, 2)).resolve(own.id().hex());
        byte[] before = Files.readAllBytes(chunk);
        try (RandomAccessFile f = new RandomAccessFile(chunk.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x10);
        }
        byte[] damaged = Files.readAllBytes(chunk);
        CliRunner.Result r = CliRunner.run("resume", "--store", store.toString(), run.id());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("skipping checkpoint 0010") && r.err().contains(own.id().hex()), r.err());
        assertTrue(r.err().contains("from checkpoint 0009"), r.err());
        assertTrue(java.util.Arrays.equals(damaged, Files.readAllBytes(chunk)), "the damaged chunk was changed");
        assertFalse(java.util.Arrays.equals(before, damaged));
        CliRunner.Result ls = CliRunner.run("ls", "--store", store.toString(), run.id());
        assertTrue(ls.out().contains("0010"), "a damaged checkpoint is listed, not deleted: " + ls.out());

        // named with --from, the damaged checkpoint is not swapped for another: an error naming the chunk
        CliRunner.Result named = CliRunner.run("resume", "--store", store.toString(), run.id(), "--from", "10");
        assertEquals(Main.NO_CHECKPOINT, named.code(), named.err());
        assertTrue(named.err().contains(own.id().hex()) && named.err().contains("damaged"), named.err());
        assertFalse(named.err().contains("from checkpoint 0009"), named.err());

        // a chunk file cut short is found without starting the program
        Files.write(chunk, java.util.Arrays.copyOf(before, before.length - 1));
        CliRunner.Result cut = CliRunner.run("resume", "--store", store.toString(), run.id());
        assertEquals(0, cut.code(), cut.err());
        assertTrue(cut.err().contains("skipping checkpoint 0010") && cut.err().contains("cut short")
            && !cut.err().contains("from checkpoint 0010"), cut.err());
        assertTrue(cut.err().contains("from checkpoint 0009"), cut.err());
    }

    @Test
    void checkpointsSignedWithAnotherKeyNeedTrust() throws Exception {
        Path store = tmp.resolve("s");
        Run run = runExample(store);
        System.setProperty("rewind.keyFile", tmp.resolve("other-key").toString());
        CliRunner.Result ls = CliRunner.run("ls", "--store", store.toString());
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().contains(run.id() + "  UNUSABLE: ") && ls.out().contains("not signed with your key"),
            "a run not signed by this key is listed as unusable: " + ls.out());
        CliRunner.Result refused = CliRunner.run("resume", "--store", store.toString(), run.id());
        assertEquals(3, refused.code(), refused.err());
        assertTrue(refused.err().contains("not signed with your key") && refused.err().contains("--trust"),
            refused.err());
        System.clearProperty("rewind.keyFile");
        // the program's own JVM reads with the default key, which signed it; --trust must pass through the CLI
        CliRunner.Result trusted = CliRunner.run("resume", "--store", store.toString(), "--trust", run.id());
        assertEquals(0, trusted.code(), trusted.err());
    }

    @Test
    void rmAndGcFreeChunksNoCheckpointUses() throws Exception {
        Path store = tmp.resolve("s");
        Run first = runExample(store);
        Run second = runExample(store);
        long chunksBefore = countChunks(store);
        CliRunner.Result rm = CliRunner.run("rm", "--store", store.toString(), first.id(), "1", "2", "3");
        assertEquals(0, rm.code(), rm.err());
        assertTrue(rm.out().contains("removed checkpoint 0001"), rm.out());
        assertEquals(7, first.checkpoints().size());
        CliRunner.Result rmRun = CliRunner.run("rm", "--store", store.toString(), second.id());
        assertEquals(0, rmRun.code(), rmRun.err());
        assertFalse(Files.exists(second.dir()));
        assertTrue(countChunks(store) < chunksBefore, "removing checkpoints freed no chunk");
        CliRunner.Result gc = CliRunner.run("gc", "--store", store.toString());
        assertEquals(0, gc.code(), gc.err());
        assertTrue(gc.out().startsWith("removed 0 unused chunk(s)"), "rm already collected: " + gc.out());
        for (CheckpointEntry e : first.checkpoints()) {
            first.verify(first.manifest(e));
        }
        CliRunner.Result bad = CliRunner.run("rm", "--store", store.toString(), first.id(), "99");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("has no checkpoint '99'"), bad.err());
    }

    @Test
    void aCheckpointOverMaxSizeIsRefusedAndTheProgramGoesOn() {
        Path store = tmp.resolve("s");
        Run run = runExample(store, "--max-size", "1k");
        assertTrue(run.checkpoints().isEmpty(), "a checkpoint over --max-size was saved");
        CliRunner.Result bad = CliRunner.run("run", "--store", store.toString(), "--max-size", "lots", "--", "java", "Main");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("bad size 'lots'"), bad.err());
    }

    @Test
    void aFullDiskStopsTheProgramOnlyWhenAskedTo() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        String why = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        org.junit.jupiter.api.Assumptions.assumeTrue(m.waitFor() == 0,
            "skipped: cannot mount a small tmpfs here (" + why + "); StoreDiskFullTest covers the store itself");
        try {
            // the example's 10 checkpoints need more than 96 KiB of chunks: one of them finds the disk full
            Path goesOn = mount.resolve("continue");
            CliRunner.Result r = runExampleRaw(goesOn, List.of("1000"), "--on-write-error", "continue");
            assertEquals(0, r.code(), "the program should go on: " + r.err());
            List<Run> runs = Store.open(goesOn, StoreOptions.defaults()).runs();
            int saved = runs.get(0).checkpoints().size();
            assertTrue(saved < 10, "the disk never filled: all " + saved + " checkpoints were saved");
            for (CheckpointEntry e : runs.get(0).checkpoints()) {
                runs.get(0).verify(runs.get(0).manifest(e)); // the ones saved before are intact
            }
            try (Stream<Path> all = Files.walk(goesOn)) {
                assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "temporary files left");
            }
            new ProcessBuilder("rm", "-rf", goesOn.toString()).start().waitFor();
            Path stops = mount.resolve("stop");
            CliRunner.Result stopped = runExampleRaw(stops, List.of("1000"), "--on-write-error", "stop");
            assertEquals(75, stopped.code(), "the program should stop with 75: " + stopped.err());
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
        }
    }

    /** Runs the example with {@code programArgs} under `rewind run` and returns what the CLI did, whatever its exit code. */
    private CliRunner.Result runExampleRaw(Path store, List<String> programArgs, String... options) {
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("rewind.examplesClasses") + java.io.File.pathSeparator
            + System.getProperty("rewind.agentJar");
        List<String> args = new java.util.ArrayList<>(List.of("run", "--store", store.toString()));
        args.addAll(List.of(options));
        args.addAll(List.of("--", javaExe, "-cp", cp, EXAMPLE));
        args.addAll(programArgs);
        return CliRunner.run(args.toArray(new String[0]));
    }

    private static long countChunks(Path store) throws Exception {
        try (Stream<Path> s = Files.walk(store.resolve("chunks"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
