package dev.rewind.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.RewindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreKeyTest {
    @TempDir
    Path tmp;

    @Test
    void aNewKeyIsPrivateAndLoadsAgain() throws Exception {
        Path file = tmp.resolve("config").resolve("rewind").resolve("key");
        StoreKey k = StoreKey.loadOrCreate(file);
        assertEquals(file, k.file());
        StoreTesting.assertMode("rw-------", file);
        StoreTesting.assertMode("rwx------", file.getParent());
        assertEquals(StoreKey.LENGTH, Files.size(file));
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temporary file left");
        }
        byte[] body = "body".getBytes(StandardCharsets.UTF_8);
        byte[] signature = k.sign(body, 0, body.length);
        StoreKey again = StoreKey.loadOrCreate(file);
        assertTrue(again.verify(body, 0, body.length, signature));
        assertArrayEquals(signature, again.sign(body, 0, body.length));
        assertFalse(StoreTesting.key(1).verify(body, 0, body.length, signature));
    }

    @Test
    void aKeyOthersCanReadOrOfTheWrongLengthIsRefused() throws Exception {
        Path file = tmp.resolve("key");
        Files.write(file, new byte[StoreKey.LENGTH]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        RewindException open = assertThrows(RewindException.class, () -> StoreKey.loadOrCreate(file));
        assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        StoreKey.loadOrCreate(file);
        Files.write(file, new byte[7]);
        RewindException shortKey = assertThrows(RewindException.class, () -> StoreKey.loadOrCreate(file));
        assertTrue(shortKey.getMessage().contains("7 bytes"), shortKey.getMessage());
    }
}
