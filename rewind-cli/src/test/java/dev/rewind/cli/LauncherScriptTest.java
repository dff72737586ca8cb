package dev.rewind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.agent.NativeAgentLibrary;
import dev.rewind.internal.launch.JavaCommand;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.io.File;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rewind run} starts the program's JVM itself, without the CLI's JVM: the same JVM options
 * as {@link Launcher#command} (Rewind's native agent starts Rewind, no {@code -javaagent}), and the
 * agent creates the run and records the user's command.
 */
class LauncherScriptTest {
    private static final String EXAMPLE = "dev.rewind.examples.HeatSimulation";

    @TempDir
    Path tmp;

    @AfterEach
    void forgetKey() {
        System.clearProperty("rewind.keyFile");
    }

    @Test
    void theScriptStartsTheProgramWithTheSameOptionsAsTheCli() throws Exception {
        String java = javaExe();
        List<String> user = List.of(java, "-Dx=a,b", "-cp", System.getProperty("java.class.path"),
            PrintCommandLine.class.getName(), "one", "two words");
        Result r = script(List.of("run", "--store", tmp.resolve("s").toString(), "--keep", "3", "--max-size=1g", "--"),
            user);
        assertEquals(0, r.code, r.err);
        List<String> argv = List.of(r.out.split("\n"));
        List<String> cli = Launcher.command(JavaCommand.parse(user), AgentOptions.of(null, null, null), true);
        assertEquals(cli.size(), argv.size(), "script: " + argv + "\nCLI: " + cli);
        assertEquals(java, argv.get(0));
        // the native agent starts Rewind: -agentpath:LIB=start=JAR,OPTIONS
        String agent = argv.get(1);
        assertTrue(agent.startsWith("-agentpath:") && agent.contains(NativeAgentLibrary.LIBRARY_NAME + "=start="),
            agent);
        String start = agent.substring(agent.indexOf("=start=") + "=start=".length());
        assertEquals(Path.of(System.getProperty("rewind.agentJar")).toAbsolutePath().normalize().toString(),
            URLDecoder.decode(start.substring(0, start.indexOf(',')), StandardCharsets.UTF_8));
        AgentOptions options = AgentOptions.parse(start.substring(start.indexOf(',') + 1));
        assertTrue(options.newRun(), agent);
        assertEquals(3, options.keep());
        assertEquals(1L << 30, options.maxSize());
        assertEquals(tmp.resolve("s").toString(), options.store());
        int added = options.added();
        assertEquals(cli.size() - user.size(), added, "options the script inserted: " + argv);
        assertEquals(user.subList(1, user.size()), argv.subList(1 + added, argv.size()));
        assertTrue(cli.get(1).startsWith("-agentpath:") && cli.get(1).contains("=start="), "the CLI too: " + cli);
        // past the agent (the CLI's library is an extracted copy), the inserted options are the CLI's
        assertEquals(cli.subList(2, 1 + added), argv.subList(2, 1 + added));
        assertTrue(r.err.isEmpty(), "a program that takes no checkpoint creates no run and prints nothing: " + r.err);
    }

    @Test
    void aRunStartedByTheScriptRecordsTheUsersCommandAndCheckpoints() throws Exception {
        Path store = tmp.resolve("store");
        List<String> user = List.of(javaExe(), "-cp", System.getProperty("rewind.examplesClasses") + File.pathSeparator
            + System.getProperty("rewind.agentJar"), EXAMPLE, "300", "2000");
        Result r = script(List.of("run", "--store", store.toString(), "--keep", "2", "--"), user);
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("[rewind] run "), r.err);
        System.setProperty("rewind.keyFile", tmp.resolve("key").toString());
        List<Run> runs = Store.open(store, StoreOptions.defaults()).runs();
        assertEquals(1, runs.size());
        assertEquals(user, runs.get(0).info().command());
        assertEquals(2, runs.get(0).checkpoints().size(), "--keep 2 reached the agent");
        CliRunner.Result ls = CliRunner.run("ls", "--store", store.toString());
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().contains(runs.get(0).id()), ls.out());
    }

    @Test
    void badInputFailsBeforeTheProgramRuns() throws Exception {
        List<String> user = List.of(javaExe(), "-cp", System.getProperty("java.class.path"),
            PrintCommandLine.class.getName());
        Result size = script(List.of("run", "--store", tmp.resolve("s").toString(), "--max-size", "lots", "--"), user);
        assertEquals(2, size.code, size.err);
        assertTrue(size.err.contains("bad size 'lots'") && size.out.isEmpty(), size.err + size.out);
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Result store = script(List.of("run", "--store", file.resolve("s").toString(), "--"), user);
        assertEquals(1, store.code, store.err);
        assertTrue(store.err.contains(file + " is not a folder") && store.out.isEmpty(), store.err + store.out);
    }

    private record Result(int code, String out, String err) {
    }

    private Result script(List<String> rewindArgs, List<String> user) throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("rewind");
        assertTrue(Files.isExecutable(script), script + " missing");
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(rewindArgs);
        cmd.addAll(user);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("REWIND_NO_BUILD", "1"); // the jars of this build are the ones under test
        pb.environment().put("REWIND_KEY_FILE", tmp.resolve("key").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String javaExe() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
