package dev.rewind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.launch.JavaCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's answers to bad input: exit codes and messages, without starting a program. */
class CliTest {
    @TempDir
    Path tmp;


    @Test
    void doctorStartsAProbeTheWayRunDoesAndSaysWhichRouteIsActive() {
        CliRunner.Result r = CliRunner.run("doctor", "--store", tmp.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("agent installed: true"), r.out());
        assertTrue(r.out().contains("live stack frames readable: yes"), r.out());
        if (dev.rewind.internal.agent.NativeAgentLibrary.find().isPresent()) {
            assertTrue(r.out().contains("started by the native agent") && r.out().contains("=start="), r.out());
            assertTrue(r.out().contains("escape barrier: native JVMTI agent active"), r.out());
        }
        assertTrue(r.out().contains("OK: Rewind can run here."), r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("run", "--bogus", "--", "java", "Main");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--bogus'"), r.err());
    }

    @Test
    void runNeedsAJavaCommand() {
        CliRunner.Result r = CliRunner.run("run", "--store", tmp.toString(), "--", "python", "x.py");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("must start with java, not 'python'"), r.err());
        CliRunner.Result noMain = CliRunner.run("run", "--store", tmp.toString(), "--", "java", "-Xmx1g");
        assertEquals(2, noMain.code());
        assertTrue(noMain.err().contains("names no main class"), noMain.err());
    }

    @Test
    void modulesAreRefusedClearly() {
        CliRunner.Result r = CliRunner.run("run", "--store", tmp.toString(), "--", "java", "-m", "app/app.Main");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not supported yet"), r.err());
    }

    @Test
    void resumeWithAnEmptyStoreSaysWhatToDo() {
        CliRunner.Result r = CliRunner.run("resume", "--store", tmp.resolve("empty").toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains("has a checkpoint yet") && r.err().contains("rewind run"), r.err());
    }

    @Test
    void resumeOfAnUnknownRunNamesIt() {
        CliRunner.Result r = CliRunner.run("resume", "--store", tmp.toString(), "nosuchrun");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no run 'nosuchrun'"), r.err());
    }

    @Test
    void corruptAndForeignCheckpointsAreNotResumedAndNotChanged() throws Exception {
        var run = newRun(tmp, List.of("java", "-cp", ".", "Main"));
        Path foreign = run.manifestPath(1, "foreign");
        Files.createDirectories(foreign.getParent());
        Files.writeString(foreign, "this is not a checkpoint, just some text long enough to have a header");
        byte[] before = Files.readAllBytes(foreign);
        CliRunner.Result r = CliRunner.run("resume", "--store", tmp.toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains("not a Rewind checkpoint manifest"), r.err());
        assertTrue(r.err().contains("no usable checkpoint"), r.err());
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(foreign), "the file was changed");
        CliRunner.Result named = CliRunner.run("resume", "--store", tmp.toString(), "--from", "1");
        assertEquals(3, named.code());
        CliRunner.Result missing = CliRunner.run("resume", "--store", tmp.toString(), "--from", "7");
        assertEquals(3, missing.code());
        assertTrue(missing.err().contains("has no checkpoint '7'"), missing.err());
    }

    @Test
    void lsListsRunsAndFlagsUnusableCheckpoints() throws Exception {
        var run = newRun(tmp, List.of("java", "-cp", ".", "Main"));
        Files.createDirectories(run.manifestPath(1, "x").getParent());
        Files.write(run.manifestPath(1, "x"), new byte[] {1, 2, 3});
        CliRunner.Result r = CliRunner.run("ls", "--store", tmp.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains(run.id()) && r.out().contains("UNUSABLE"), r.out());
        assertTrue(r.out().contains("java -cp . Main"), r.out());
    }

    @Test
    void storeFoldersArePrivate() throws Exception {
        var run = newRun(tmp.resolve("s"), List.of("java", "Main"));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(run.dir())));
    }

    @Test
    void javaCommandSplitsOptionsMainAndArguments() {
        JavaCommand c = JavaCommand.parse(List.of("java", "-Xmx1g", "-cp", "a:b", "-Dx=y", "demo.Main", "-cp", "arg"));
        assertEquals(List.of("-Xmx1g", "-cp", "a:b", "-Dx=y"), c.jvmOptions());
        assertEquals(List.of("demo.Main"), c.main());
        assertEquals(List.of("-cp", "arg"), c.arguments());
        JavaCommand jar = JavaCommand.parse(List.of("/usr/bin/java", "-jar", "app.jar", "1"));
        assertEquals(List.of("-jar", "app.jar"), jar.main());
        assertEquals(List.of("/usr/bin/java", "-ea", "-jar", "app.jar", "1"), jar.with(List.of("-ea")));
    }

    static dev.rewind.internal.store.Run newRun(Path store, List<String> command) {
        return dev.rewind.internal.store.Store.open(store, dev.rewind.internal.store.StoreOptions.defaults())
            .createRun(dev.rewind.internal.store.RunInfo.now("run", "Main", command, store, ""));
    }
}
