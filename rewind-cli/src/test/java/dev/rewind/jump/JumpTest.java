package dev.rewind.jump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.agent.NativeAgentLibrary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * saveJump/jump in real JVMs (interpreted and C2-compiled), with Rewind's Java agent and with its
 * native agent starting Rewind (as {@code rewind run} does), where the restore prologues go through
 * the native class-file hook to Rewind's Java transformer.
 */
class JumpTest {
    /** @return the output of the program, the same with either agent */
    private static String run(Class<?> main, String... jvm) throws Exception {
        String agent = System.getProperty("rewind.agentJar");
        String out = runWith(main, "-javaagent:" + agent, jvm);
        Optional<Path> library = NativeAgentLibrary.find();
        if (library.isPresent()) {
            String started = runWith(main, "-agentpath:" + library.get() + "=start="
                + URLEncoder.encode(agent, StandardCharsets.UTF_8), jvm);
            assertEquals(out, started, "started by the native agent");
        }
        return out;
    }

    private static String runWith(Class<?> main, String agent, String... jvm) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(agent);
        cmd.add("-Xverify:all");
        cmd.addAll(List.of(jvm));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
        assertEquals(0, p.exitValue(), agent + ":\n" + out);
        return out.replace("\r", "");
    }

    @Test
    void tailRunsTwiceAndJumpReturnsWhenTheOutermostFrameReturns() throws Exception {
        for (String[] mode : new String[][] {{}, {"-Xcomp"}}) {
            String out = run(JumpPrograms.TailTwice.class, mode);
            assertEquals(String.join("\n",
                "tail local=41 big=1099511627776 d=5.0 heap=h+ s=snapshot",
                "tail local=41 big=1099511627776 d=5.0 heap=h++ s=null",
                "outer got 41",
                "main end calls=2",
                "jump returned",
                "outer got 41",
                "main end calls=2", ""), out, "mode " + List.of(mode));
        }
    }

    @Test
    void snapshotsCanBeInspected() throws Exception {
        String out = run(JumpPrograms.Inspect.class);
        assertEquals("dev.rewind.jump.JumpPrograms$Inspect.main line>0=true answer=42 name=rewind frames=1\n", out);
    }

    @Test
    void hotCompiledFramesJumpBack() throws Exception {
        String out = run(JumpPrograms.HotLoop.class);
        long expected = 0;
        for (int i = 0; i < 200_000; i++) {
            expected += i;
        }
        assertEquals("sum=" + expected + "\njump returned at 150000\nsum=" + expected + "\n", out);
    }

    @Test
    void virtualThreadsAreRefusedUnlessScalarReplacementIsOff() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21,
            "virtual threads need JDK 21+; this JVM is " + Runtime.version());
        String out = run(JumpPrograms.VirtualThread.class);
        assertTrue(out.startsWith("refused: cannot capture on virtual thread"), out);
        assertTrue(out.contains("-XX:-EliminateAllocations"), out);
        assertEquals("captured\n", run(JumpPrograms.VirtualThread.class, "-XX:-EliminateAllocations"));
    }

    @Test
    void misuseIsRefused() throws Exception {
        String out = run(JumpPrograms.Misuse.class);
        assertTrue(out.contains("null refused"), out);
        assertTrue(out.contains("other thread refused: jump must run on the thread that took the snapshot"), out);
    }
}
