package dev.rewind.cli;

import dev.rewind.Rewind;
import dev.rewind.RewindException;
import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.agent.NativeAgentLibrary;
import dev.rewind.internal.launch.JavaCommand;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts a program with the Rewind agent and the JVM options it needs. */
final class Launcher {
    private Launcher() {
    }

    /** @return the rewind-core jar, which is both the API and the agent */
    static Path agentJar() {
        String override = System.getProperty("rewind.agentJar");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        try {
            Path p = Path.of(Rewind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new RewindException("Rewind's API classes come from the folder " + p + ", not from the rewind-core"
                + " jar the agent needs; build it with `mvn package` or set -Drewind.agentJar=PATH");
        } catch (URISyntaxException e) {
            throw new RewindException("cannot locate the rewind-core jar: " + e.getMessage(), e);
        }
    }

    /**
     * @return {@code java} with Rewind's JVM options inserted right after the launcher; the agent
     *     options say how many there are, so that a new run can record the user's command without them.
     *     Where the native agent is available it starts Rewind ({@code -agentpath:LIB=start=JAR,OPTIONS}),
     *     except for a resume, which needs java.instrument's transformer from the first class on.
     */
    static List<String> command(JavaCommand java, AgentOptions options, boolean quiet) {
        if (!quiet) {
            NativeAgentLibrary.warning().ifPresent(w -> System.err.println("[rewind] warning: " + w));
        }
        Optional<Path> library = NativeAgentLibrary.find();
        boolean nativeStart = options.resume() == null && library.isPresent();
        // the agent option comes first, then these; it counts itself and them
        List<String> tail = java.inserted(nativeStart ? List.of(NativeAgentLibrary.STACK_DEPTH_OPTION)
            : NativeAgentLibrary.jvmOptions());
        String agentOptions = options.withAdded(1 + tail.size()).format();
        List<String> inserted = new ArrayList<>();
        inserted.add(nativeStart
            ? "-agentpath:" + library.get() + "=start=" + URLEncoder.encode(agentJar().toString(), StandardCharsets.UTF_8)
                + "," + agentOptions
            : "-javaagent:" + agentJar() + "=" + agentOptions);
        inserted.addAll(tail);
        return java.with(inserted);
    }

    /** Starts the command with inherited standard streams and waits for it; returns its exit code. */
    static int runInheritingIo(List<String> command, Path workingDirectory) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile()).inheritIO();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RewindException("cannot start " + command.get(0) + ": " + e.getMessage()
                + ". Check that the java command is right and on the PATH.", e);
        }
        Thread killer = new Thread(p::destroy, "rewind-forward-exit");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return 130;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook will stop the child
            }
        }
    }
}
