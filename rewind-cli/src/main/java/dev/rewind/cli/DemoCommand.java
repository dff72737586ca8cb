package dev.rewind.cli;

import dev.rewind.RewindException;
import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.launch.JavaCommand;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rewind demo}: runs the heat simulation example under Rewind, kills it with SIGKILL after
 * its second checkpoint, resumes it in a fresh JVM, and checks that the result equals an
 * uninterrupted run's.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run an example that checkpoints, is killed with SIGKILL, and resumes to the same result.")
final class DemoCommand implements Callable<Integer> {
    private static final String EXAMPLE = "dev.rewind.examples.HeatSimulation";

    @Option(names = "--examples", paramLabel = "DIR",
        description = "Compiled examples (default: the rewind.examples system property set by ./rewind).")
    Path examples;

    @Option(names = "--kill-after", defaultValue = "3", paramLabel = "N",
        description = "Kill the program after its N-th checkpoint (default: ${DEFAULT-VALUE}).")
    int killAfter;

    @Override
    public Integer call() throws Exception {
        Path classes = examples != null ? examples : Path.of(System.getProperty("rewind.examples", "examples/target/classes"));
        if (!Files.isDirectory(classes.resolve("dev/rewind/examples"))) {
            throw new RewindException("compiled examples not found in " + classes + "; build them with `mvn package`"
                + " or pass --examples DIR");
        }
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = classes.toAbsolutePath() + java.io.File.pathSeparator + Launcher.agentJar();
        List<String> program = List.of(javaExe, "-cp", cp, EXAMPLE, "1000");
        Path storeDir = Files.createTempDirectory("rewind-demo-");
        Store store = Store.open(storeDir, StoreOptions.defaults());
        say("Rewind demo: a heat simulation that checkpoints every 100 steps.");
        say("");
        say("1. Reference: the simulation runs uninterrupted under plain java.");
        String reference = lastLine(run(program, "   | "));
        say("");
        say("2. The same program under Rewind (store " + storeDir + "); it is killed with SIGKILL after its checkpoint #"
            + killAfter + ".");
        Run run = store.createRun(RunInfo.now("run", EXAMPLE, program, Path.of("").toAbsolutePath(), ""));
        JavaCommand command = JavaCommand.parse(program);
        List<String> withAgent = Launcher.command(command, AgentOptions.of(storeDir.toString(), run.id(), null), true);
        Process p = new ProcessBuilder(withAgent).redirectErrorStream(true).start();
        List<String> firstOutput = new ArrayList<>();
        CompletableFuture<Void> pump = pump(p, "   | ", firstOutput::add);
        while (p.isAlive() && run.checkpoints().size() < killAfter) {
            Thread.sleep(5);
        }
        if (!p.isAlive()) {
            pump.join();
            throw new RewindException("the example finished before its checkpoint #" + killAfter + " (exit "
                + p.exitValue() + "); try a smaller --kill-after");
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, like a preempted node
        p.waitFor();
        pump.join();
        say("   ** killed with SIGKILL (pid " + p.pid() + ") after " + run.checkpoints().size() + " checkpoint(s) **");
        say("");
        say("3. rewind resume: a fresh JVM continues from the newest checkpoint.");
        Path newest = run.checkpoints().get(run.checkpoints().size() - 1).file();
        List<String> resume = Launcher.command(command, AgentOptions.of(storeDir.toString(), run.id(),
            newest.toString()), true);
        String resumed = lastLine(run(resume, "   | "));
        say("");
        if (resumed.equals(reference)) {
            say("Same result as the uninterrupted run: " + resumed);
            say("The checkpoints are in " + storeDir + " (see `rewind ls --store " + storeDir + "`).");
            return 0;
        }
        say("MISMATCH: uninterrupted run printed '" + reference + "' but the resumed run printed '" + resumed + "'");
        return 1;
    }

    private static List<String> run(List<String> command, String prefix) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> pump = pump(p, prefix, lines::add);
        int code = p.waitFor();
        pump.join();
        if (code != 0) {
            throw new RewindException("the example exited with code " + code);
        }
        return lines;
    }

    private static CompletableFuture<Void> pump(Process p, String prefix, Consumer<String> sink) {
        return CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println(prefix + line);
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process was killed while we read: its output ends here
            }
        });
    }

    private static String lastLine(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("done:")) {
                return lines.get(i);
            }
        }
        return "(no result line)";
    }

    private static void say(String s) {
        System.out.println(s);
    }
}
