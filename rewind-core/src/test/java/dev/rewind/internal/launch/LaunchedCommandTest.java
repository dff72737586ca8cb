package dev.rewind.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchedCommandTest {
    @Test
    void rewindsOptionsAreLeftOutOfTheRecordedCommand() {
        List<String> argv = List.of("java", "-javaagent:/r/rewind-core.jar=new-run=true,added=3", "-agentpath:/r/lib.so",
            "-XX:MaxJavaStackTraceDepth=65536", "-Xmx1g", "-cp", "app.jar", "demo.Main", "-javaagent:x");
        assertEquals(List.of("java", "-Xmx1g", "-cp", "app.jar", "demo.Main", "-javaagent:x"),
            LaunchedCommand.user(argv, 3));
        assertEquals(argv, LaunchedCommand.user(argv, 0));
        List<String> nativeStart = List.of("java", "-agentpath:/r/lib.so=start=/r/rewind-core.jar,new-run=true,added=2",
            "-XX:MaxJavaStackTraceDepth=65536", "-cp", "app.jar", "demo.Main");
        assertEquals(List.of("java", "-cp", "app.jar", "demo.Main"), LaunchedCommand.user(nativeStart, 2));
    }

    @Test
    void aCommandLineThatDoesNotStartWithTheAgentIsRefused() {
        CommandLineException e = assertThrows(CommandLineException.class,
            () -> LaunchedCommand.user(List.of("java", "-Xmx1g", "-javaagent:x", "-XX:Foo", "Main"), 3));
        assertTrue(e.getMessage().contains("rewind run"), e.getMessage());
        assertThrows(CommandLineException.class, () -> LaunchedCommand.user(List.of("java", "-javaagent:a"), 3));
    }

    @Test
    void thisJvmsCommandLineIsRead() {
        List<String> argv = LaunchedCommand.argv();
        assertTrue(argv.size() > 1, argv.toString());
        assertTrue(argv.get(0).endsWith("java"), argv.toString());
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("-Xverify")), "the test JVM's own options: " + argv);
    }
}
