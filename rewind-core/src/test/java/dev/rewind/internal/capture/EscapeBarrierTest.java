package dev.rewind.internal.capture;

import dev.rewind.internal.agent.NativeAgentLibrary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Guards the native escape barrier (src/main/c/rewind_jvmti.c): runs {@link ScalarReplacedTarget}
 * in child JVMs and checks that a hot, C2-scalar-replaced object and a lock C2 eliminated on a
 * non-escaping object are visible to {@code LiveStackFrame} after {@link EscapeBarrier#materialize()}
 * with the agent, and not without it. Fails if HotSpot ever changes so that the barrier stops working.
 * Skipped only when the build produced no librewind-jvmti.so (no gcc).
 */
class EscapeBarrierTest {

    @TempDir
    Path tmp;

    /** The .so built into target/classes by the antrun step, or a skipped test. */
    private static Path agentLibrary() throws URISyntaxException {
        String resource = NativeAgentLibrary.resourceName().orElse(null);
        Assumptions.assumeTrue(resource != null, () -> skip("no native agent for "
                + System.getProperty("os.name") + "/" + System.getProperty("os.arch")));
        URL url = EscapeBarrierTest.class.getResource(resource);
        Assumptions.assumeTrue(url != null && "file".equals(url.getProtocol()),
                () -> skip(resource + " was not built (gcc missing?)"));
        return Paths.get(url.toURI());
    }

    private static String skip(String reason) {
        System.out.println("EscapeBarrierTest skipped: " + reason);
        return reason;
    }

    /** Runs ScalarReplacedTarget in a child JVM with {@code jvmArgs}; returns its RESULT lines. */
    private List<String> runTarget(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens");
        cmd.add("java.base/java.lang=ALL-UNNAMED");
        cmd.add("-Xbatch"); // compile synchronously: hot() is C2 code when the warm-up loop ends
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScalarReplacedTarget.class.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString()); // keep ~/.cache clean
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child JVM timed out: " + out);
        }
        System.out.println("[" + String.join(" ", jvmArgs) + " " + String.join(" ", args) + "] on "
                + System.getProperty("java.version") + ":\n" + out.strip());
        assertEquals(0, p.exitValue(), out);
        List<String> results = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (line.startsWith("RESULT ")) {
                results.add(line);
            }
        }
        assertEquals(2, results.size(), out);
        return results;
    }

    @Test
    void agentMaterializesScalarReplacedObjectAndEliminatedLock() throws Exception {
        Path so = agentLibrary();
        List<String> r = runTarget(List.of("-agentpath:" + so));
        // precondition: without the barrier call the frame really is C2 code with p scalar-replaced
        assertTrue(r.get(0).contains(" point=null "),
                "hot() was not C2-compiled with the Point scalar-replaced, the test proves nothing: " + r.get(0));
        String m = r.get(1);
        assertTrue(m.contains(" active=true "), "native methods did not bind to the agent library: " + m);
        assertTrue(m.contains(" err=0 "), m);
        assertTrue(m.contains(" pointOk=true "), "scalar-replaced Point not materialized: " + m);
        assertTrue(m.contains(" lockOk=true "), "eliminated lock not visible in getMonitors(): " + m);
    }

    @Test
    void barrierReachesDeepFramesWithTheLauncherStackDepth() throws Exception {
        Path so = agentLibrary();
        List<String> r = runTarget(List.of("-agentpath:" + so,
                "-XX:MaxJavaStackTraceDepth=" + NativeAgentLibrary.MAX_JAVA_STACK_TRACE_DEPTH), "depth=1500");
        assertTrue(r.get(1).contains(" pointOk=true ") && r.get(1).contains(" lockOk=true "),
                "frame 1500 deep not materialized: " + r.get(1));
    }

    @Test
    void withoutAgentHotScalarReplacedObjectCapturesAsNull() throws Exception {
        agentLibrary(); // same skip condition, so that a missing .so does not leave only this half running
        List<String> r = runTarget(List.of());
        for (String line : r) {
            assertTrue(line.contains(" active=false "), line);
            assertTrue(line.contains(" point=null "), "expected C2 scalar replacement to hide the Point: " + line);
        }
    }

    @Test
    void fallbackFlagKeepsObjectsAndLocksVisible() throws Exception {
        agentLibrary();
        for (String line : runTarget(NativeAgentLibrary.FALLBACK_OPTIONS)) {
            assertTrue(line.contains(" pointOk=true ") && line.contains(" lockOk=true "), line);
        }
    }

    @Test
    void extractIsAtomicPrivateAndReused() throws Exception {
        Path so = agentLibrary();
        byte[] bytes = Files.readAllBytes(so);
        Path root = tmp.resolve("xdg").resolve("rewind").resolve("native");
        Path first = NativeAgentLibrary.extract(bytes, root);
        long mtime = Files.getLastModifiedTime(first).toMillis();
        Path second = NativeAgentLibrary.extract(bytes, root);
        assertEquals(first, second);
        assertEquals(mtime, Files.getLastModifiedTime(second).toMillis(), "an identical library must be reused");
        assertArrayEquals(bytes, Files.readAllBytes(first));
        assertTrue(first.isAbsolute());
        assertEquals("librewind-jvmti.so", first.getFileName().toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())));
        try (var files = Files.list(first.getParent())) {
            assertEquals(1, files.count(), "temp file left behind");
        }
        // a corrupted copy is replaced
        Files.write(first, new byte[] {1, 2, 3});
        assertArrayEquals(bytes, Files.readAllBytes(NativeAgentLibrary.extract(bytes, root)));
    }

    @Test
    void routeDescriptionsInThisJvm() {
        // the surefire JVM runs without the agent; only check the calls are safe and say something.
        // Extract into the temp dir, not ~/.cache (only effective if nothing in this JVM asked before).
        System.setProperty(NativeAgentLibrary.CACHE_DIR_PROPERTY, tmp.resolve("native").toString());
        System.out.println(EscapeBarrier.describeRoute());
        System.out.println("jvmOptions " + NativeAgentLibrary.jvmOptions() + " warning " + NativeAgentLibrary.warning());
        EscapeBarrier.materialize();
        assertTrue(EscapeBarrier.describeRoute().startsWith("escape barrier:"));
        assertTrue(EscapeBarrier.coveredDepth() > 0);
    }
}
