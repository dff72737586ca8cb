package dev.rewind.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * One JVM running an example of {@code dev.rewind.examples.state} directly (no agent, no CLI), with
 * the store and the signing key in the test's folder. Its stdout is read line by line as it comes,
 * so that a test can kill it right after a given line; stderr goes to a file.
 */
final class ExampleJvm {
    /** The options that spare the child the attach of Rewind's agent (see JdkAccess). */
    static final List<String> JDK_ACCESS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang.invoke=ALL-UNNAMED");
    private static final String EOF = "\u0000EOF";
    private static String classPath;

    final Process process;
    final List<String> command;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    private ExampleJvm(Process process, List<String> command, Path stderr) {
        this.process = process;
        this.command = command;
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    seen.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(stdout failed: " + e + ")");
            } finally {
                lines.add(EOF);
            }
        }, "stdout of " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param dir holds the store ({@code store}), the key ({@code key}) and the stderr files
     * @param jdkAccess whether to give the JVM options, or let the example attach Rewind's agent
     */
    static ExampleJvm start(Path dir, String label, boolean jdkAccess, String example, String... args) {
        return launch(dir, label, command(jdkAccess, example, args), false);
    }

    /**
     * Like {@link #start}, but in a pseudo-terminal made by util-linux {@code script}, so that the
     * example sees a console; {@link #type} is what the user types (a Ctrl-C included).
     */
    static ExampleJvm startInTerminal(Path dir, String label, String example, String... args) {
        List<String> cmd = List.of("script", "-qfec", RewindProcess.shellQuote(command(true, example, args)), "/dev/null");
        return launch(dir, label, cmd, true);
    }

    /** @return whether {@link #startInTerminal} can work here */
    static boolean canMakeTerminals() {
        return Files.isExecutable(Path.of("/usr/bin/script"));
    }

    private static List<String> command(boolean jdkAccess, String example, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(RewindProcess.javaExecutable().toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        if (jdkAccess) {
            cmd.addAll(JDK_ACCESS);
        }
        cmd.addAll(List.of("-cp", classPath(), "dev.rewind.examples.state." + example));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static ExampleJvm launch(Path dir, String label, List<String> cmd, boolean keepInput) {
        Path err = dir.resolve(label + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().put("REWIND_STORE", dir.resolve("store").toString());
        pb.environment().put("REWIND_KEY_FILE", dir.resolve("key").toString());
        try {
            Process p = pb.start();
            if (!keepInput) {
                p.getOutputStream().close();
            }
            return new ExampleJvm(p, cmd, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Sends {@code text} to the JVM's standard input (its terminal's, for {@link #startInTerminal}). */
    void type(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** @return the next stdout line, or null at the end of the output */
    String nextLine() throws InterruptedException {
        String line = lines.poll(120, TimeUnit.SECONDS);
        if (line == null) {
            process.destroyForcibly();
            throw new AssertionError("no output for 120 s\n" + describe());
        }
        return line == EOF ? null : line;
    }

    /** @return the exit code, once the JVM is gone */
    int exit() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not end within 120 s\n" + describe());
        }
        return process.exitValue();
    }

    String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        List<String> out;
        synchronized (seen) {
            out = new ArrayList<>(seen.subList(Math.max(0, seen.size() - 10), seen.size()));
        }
        return "command: " + String.join(" ", command) + "\nlast stdout lines:\n  " + String.join("\n  ", out)
            + "\nstderr:\n" + stderr();
    }

    /**
     * @return the example classes (rewind.examplesClasses, set by the pom; compiled here from the
     *     examples' sources when that folder is not built yet) and Rewind's jar
     */
    static synchronized String classPath() {
        if (classPath == null) {
            Path classes = Path.of(System.getProperty("rewind.examplesClasses", "../examples/target/classes"));
            if (!Files.exists(classes.resolve("dev/rewind/examples/state/Counter.class"))) {
                classes = compileExamples();
            }
            classPath = classes.toAbsolutePath() + File.pathSeparator + RewindProcess.agentJar();
        }
        return classPath;
    }

    private static Path compileExamples() {
        Path src = Path.of("../examples/src/main/java/dev/rewind/examples/state");
        Path out = Path.of("target/state-examples");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", RewindProcess.agentJar(), "-proc:none"));
        try (var files = Files.list(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        if (javac.run(null, diagnostics, diagnostics, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("cannot compile the examples: " + diagnostics.toString(StandardCharsets.UTF_8));
        }
        return out;
    }
}
