package dev.rewind;

import dev.rewind.internal.explicit.StateSeries;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StateCheckpoint} on a store in a temporary folder, within this JVM. */
class StateCheckpointTest {
    @TempDir
    Path dir;

    /** A state class as users write them: no no-arg constructor, not Serializable. */
    static final class Tally {
        final String label;
        long count;
        List<String> log = new ArrayList<>();
        transient StringBuilder scratch = new StringBuilder("scratch");

        Tally(String label) {
            this.label = label;
        }
    }

    static final class Other {
        int x;
    }

    static final class WithThread {
        int value = 1;
        Object worker;
    }

    static final class Pair {
        long a;
        long b;
    }

    private StateCheckpoint.Builder<Tally> tally(String name) {
        return StateCheckpoint.builder(name, Tally.class).store(dir).handleSignals(false).fresh(() -> new Tally("fresh"));
    }

    @Test
    void freshThenResumedWithTheSavedFields() {
        try (StateCheckpoint<Tally> ck = tally("t").open()) {
            assertFalse(ck.resumed());
            assertEquals(0, ck.version());
            Tally t = ck.state();
            assertEquals("fresh", t.label);
            t.count = 42;
            t.log.add("one");
            assertEquals(1, ck.save());
            t.count = 43;
            assertEquals(2, ck.save());
            assertEquals(2, ck.version());
        }
        try (StateCheckpoint<Tally> ck = tally("t").open()) {
            assertTrue(ck.resumed());
            assertEquals(2, ck.version());
            Tally t = ck.state();
            assertEquals("fresh", t.label);
            assertEquals(43, t.count);
            assertEquals(List.of("one"), t.log);
            assertNull(t.scratch, "transient fields are not saved");
            assertEquals(List.of(), ck.evolution());
            assertEquals(3, ck.save(), "numbers go on across restarts");
        }
    }

    @Test
    void openTakesTheDefaultsFromTheStaticFactory() {
        // the static open uses Store.defaultRoot(); only check that the builder path and it agree on arguments
        assertThrows(IllegalStateException.class, () -> StateCheckpoint.builder("x", Tally.class).store(dir).open());
        assertThrows(IllegalArgumentException.class, () -> StateCheckpoint.builder(" ", Tally.class));
    }

    @Test
    void anUnsaveableFieldIsRefusedWithItsPathAndThePreviousVersionStays() throws IOException {
        StateCheckpoint.Builder<WithThread> b = StateCheckpoint.builder("w", WithThread.class).store(dir)
            .handleSignals(false).fresh(WithThread::new);
        try (StateCheckpoint<WithThread> ck = b.open()) {
            ck.save();
            ck.state().value = 2;
            ck.state().worker = new Thread(() -> { });
            CheckpointRefusedException e = assertThrows(CheckpointRefusedException.class, ck::save);
            assertTrue(e.getMessage().contains("state w") && e.getMessage().contains("worker"), e.getMessage());
            try (InputStream open = new FileInputStream(Files.writeString(dir.resolve("data.txt"), "data").toFile())) {
                ck.state().worker = open;
                e = assertThrows(CheckpointRefusedException.class, ck::save);
                assertTrue(e.getMessage().contains("worker"), e.getMessage());
            }
        }
        try (StateCheckpoint<WithThread> ck = b.open()) {
            assertEquals(1, ck.state().value);
            assertEquals(1, ck.version());
        }
    }

    @Test
    void keepsTheNewestVersionsOnly() throws IOException {
        try (StateCheckpoint<Tally> ck = tally("k").open()) {
            for (int i = 0; i < 6; i++) {
                ck.state().count = i;
                ck.save();
            }
        }
        assertEquals(List.of("0004-save.ckpt", "0005-save.ckpt", "0006-save.ckpt"), versions("k"));
    }

    @Test
    void aDamagedNewestVersionFallsBackToTheOneBefore() throws IOException {
        try (StateCheckpoint<Tally> ck = tally("d").open()) {
            ck.state().count = 1;
            ck.save();
            ck.state().count = 2;
            ck.save();
            ck.state().count = 3;
            ck.save();
        }
        Path checkpoints = dir.resolve("runs/state-d/checkpoints");
        flipByte(checkpoints.resolve("0003-save.ckpt"), 40);
        String err = stderrOf(() -> {
            try (StateCheckpoint<Tally> ck = tally("d").open()) {
                assertTrue(ck.resumed());
                assertEquals(2, ck.state().count);
                assertEquals(2, ck.version());
            }
        });
        assertTrue(err.contains("[rewind] state 'd': version 3 is damaged (") && err.contains("using version 2"), err);

    }

    @Test
    void aMissingChunkIsDamageToo() throws IOException {
        List<Path> before;
        try (StateCheckpoint<Tally> ck = tally("c").open()) {
            ck.state().count = 1;
            ck.save();
            before = chunkFiles();
            ck.state().count = 2;
            ck.save();
        }
        List<Path> added = new ArrayList<>(chunkFiles());
        added.removeAll(before);
        assertFalse(added.isEmpty());
        for (Path c : added) {
            Files.delete(c);
        }
        String err = stderrOf(() -> {
            try (StateCheckpoint<Tally> ck = tally("c").open()) {
                assertEquals(1, ck.state().count);
            }
        });
        assertTrue(err.contains("version 2 is damaged (") && err.contains("using version 1"), err);
    }

    @Test
    void whenEveryVersionIsDamagedOpenFailsRatherThanStartingAfresh() throws IOException {
        try (StateCheckpoint<Tally> ck = tally("all").open()) {
            ck.save();
        }
        flipByte(dir.resolve("runs/state-all/checkpoints/0001-save.ckpt"), 40);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> stderrOf(() -> tally("all").open()));
        assertTrue(e.getMessage().contains("every saved version is damaged") && e.getMessage().contains("rewind rm state-all"),
            e.getMessage());
    }

    @Test
    void aStateSignedWithAnotherKeyIsRefusedUnlessTrusted() throws Exception {
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);
        Store foreign = TestStores.withKey(dir, otherKey);
        try (StateSeries series = StateSeries.open(foreign, "u", 3)) {
            Tally t = new Tally("foreign");
            t.count = 9;
            series.save(t).written().get();
        }
        UntrustedCheckpointException e = assertThrows(UntrustedCheckpointException.class, () -> tally("u").open());
        assertTrue(e.getMessage().contains("trust(true)"), e.getMessage());
        try (StateCheckpoint<Tally> ck = tally("u").trust(true).open()) {
            assertEquals("foreign", ck.state().label);
            assertEquals(9, ck.state().count);
        } finally {
            Store.open(dir, dev.rewind.internal.store.StoreOptions.defaults()); // trust off again for this folder
        }
    }

    @Test
    void oneStateIsOpenOnceAtATime() {
        try (StateCheckpoint<Tally> ck = tally("once").open()) {
            RewindException e = assertThrows(RewindException.class, () -> tally("once").open());
            assertTrue(e.getMessage().contains("state 'once'") && e.getMessage().contains("open already"), e.getMessage());
        }
        try (StateCheckpoint<Tally> again = tally("once").open()) {
            assertFalse(again.resumed());
        }
    }

    @Test
    void aNameUsedForAnotherClassIsAClearError() {
        try (StateCheckpoint<Tally> ck = tally("name").open()) {
            ck.save();
        }
        RewindException e = assertThrows(RewindException.class, () -> StateCheckpoint.builder("name", Other.class)
            .store(dir).handleSignals(false).fresh(Other::new).open());
        assertTrue(e.getMessage().contains("holds a " + Tally.class.getName() + ", not a " + Other.class.getName()),
            e.getMessage());
        try (StateCheckpoint<Tally> ck = tally("name").open()) {
            assertTrue(ck.resumed(), "the failed open released the state");
        }
    }

    @Test
    void periodicSavesCopyAConsistentStateUnderTheLock() throws Exception {
        Object userLock = new Object();
        StateCheckpoint.Builder<Pair> b = StateCheckpoint.builder("p", Pair.class).store(dir).handleSignals(false)
            .fresh(Pair::new).lock(userLock);
        for (int round = 0; round < 3; round++) {
            long before;
            try (StateCheckpoint<Pair> ck = b.open()) {
                Pair p = ck.state();
                assertEquals(p.a, p.b, "round " + round + ": a torn copy was saved");
                before = p.a;
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch running = new CountDownLatch(1);
                Thread mutator = new Thread(() -> {
                    running.countDown();
                    while (!stop.get()) {
                        synchronized (userLock) {
                            p.a++;
                            Thread.yield(); // invite a save between the two writes, which the lock must prevent
                            p.b++;
                        }
                    }
                });
                mutator.start();
                running.await();
                int start = ck.version();
                ck.saveEvery(Duration.ofMillis(5));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (ck.version() < start + 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(ck.version() >= start + 3, "periodic saves happened: version " + ck.version());
                stop.set(true);
                mutator.join();
            }
            try (StateCheckpoint<Pair> ck = b.open()) {
                assertEquals(ck.state().a, ck.state().b);
                assertTrue(ck.state().a > before, "the newest periodic save is later than the last round's");
            }
        }
    }

    @Test
    void saveAfterCloseIsAnError() {
        StateCheckpoint<Tally> ck = tally("closed").open();
        ck.close();
        ck.close();
        assertThrows(IllegalStateException.class, ck::save);
        assertThrows(IllegalStateException.class, () -> ck.saveEvery(Duration.ofSeconds(1)));
        try (StateCheckpoint<Tally> other = tally("x").open()) {
            assertThrows(IllegalArgumentException.class, () -> other.saveEvery(Duration.ZERO));
        }
    }

    private List<Path> chunkFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private List<String> versions(String name) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("runs/state-" + name + "/checkpoints"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ckpt")).sorted().toList();
        }
    }

    static void flipByte(Path file, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x5A;
        Files.write(file, bytes);
    }

    static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
