package dev.rewind.internal.store;

import static dev.rewind.internal.store.StoreTesting.info;
import static dev.rewind.internal.store.StoreTesting.key;
import static dev.rewind.internal.store.StoreTesting.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store reached through two paths in one JVM (a symbolic link, say) must behave as one store:
 * the collector must see the other path's writers, and neither may trip over the JVM's own file lock.
 */
class StoreAliasTest {
    @TempDir
    Path tmp;

    @Test
    void aStoreOpenedThroughALinkSharesItsCollectorLock() throws Exception {
        Path real = tmp.resolve("store");
        Files.createDirectories(real);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        Store a = Store.openWithKey(real, key(51), StoreOptions.defaults());
        Store b = Store.openWithKey(link, key(51), StoreOptions.defaults());
        assertSame(a.collectorLock(), b.collectorLock(), "one lock per store folder in a JVM");

        Run run = a.createRun(info("Alias"));
        byte[] data = random(52, 3 << 20);
        CheckpointWriter w = run.begin("in flight");
        w.write(data);
        // a checkpoint is in flight through the real path: a collection through the link must not run
        Optional<GarbageCollector.Result> during = GarbageCollector.collect(b, false);
        assertFalse(during.isPresent(), "the collector ran while a checkpoint was being written");
        CheckpointManifest m = w.publish(new byte[0]).get().manifest();

        Optional<GarbageCollector.Result> after = GarbageCollector.collect(b, false);
        assertTrue(after.isPresent());
        assertEquals(0, after.get().chunks(), "nothing of the published checkpoint is collected");
        assertArrayEquals(data, StoreTesting.readAll(run, m));
    }

    @Test
    void openingTheSameFolderThroughALinkGivesTheSameStore() throws Exception {
        Path real = tmp.resolve("shared");
        Files.createDirectories(real);
        Path link = Files.createSymbolicLink(tmp.resolve("alias"), real);
        Store a = Store.open(real, StoreOptions.defaults());
        Store b = Store.open(link, StoreOptions.defaults());
        assertSame(a, b);
    }
}
