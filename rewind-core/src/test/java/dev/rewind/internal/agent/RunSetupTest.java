package dev.rewind.internal.agent;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.RewindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSetupTest {
    @TempDir
    Path tmp;

    @Test
    void aStoreThatDoesNotExistYetIsFineWhereItCanBeCreated() {
        assertDoesNotThrow(() -> RunSetup.checkWritable(tmp.resolve("a/b/store")));
        assertDoesNotThrow(() -> RunSetup.checkWritable(tmp));
        assertFalse(Files.exists(tmp.resolve("a")), "the check created folders");
    }

    @Test
    void aStoreUnderAFileIsRefusedBeforeTheProgramStarts() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        RewindException e = assertThrows(RewindException.class, () -> RunSetup.checkWritable(file.resolve("store")));
        assertTrue(e.getMessage().contains(file + " is not a folder"), e.getMessage());
    }

    @Test
    void aReadOnlyFolderIsRefused() throws Exception {
        Path ro = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro),
                "skipped: this user (root?) can write a r-x folder");
            RewindException e = assertThrows(RewindException.class, () -> RunSetup.checkWritable(ro.resolve("s")));
            assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
