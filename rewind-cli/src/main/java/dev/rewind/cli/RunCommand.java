package dev.rewind.cli;

import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rewind run -- java ...}: records the command and starts it with the agent. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a Java program under Rewind. Its checkpoints go to a new run in the store.",
    footer = {"", "Example:", "  rewind run --keep 5 -- java -cp app.jar demo.Simulation 1000"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    WriteOptions write;

    @Parameters(arity = "1..*", paramLabel = "-- java ...",
        description = "The java command: java [jvm options] (-cp CP Main | -jar app.jar | File.java) [args].")
    List<String> command;

    @Override
    public Integer call() {
        JavaCommand java = JavaCommand.parse(command);
        Store s = store.open(write.bounds());
        Path cwd = Path.of("").toAbsolutePath();
        String name = java.main().get(0).equals("-jar") ? java.main().get(1) : java.main().get(0);
        Run run = s.createRun(RunInfo.now("run", name, command, cwd, CodeFingerprint.of(java.codePaths(cwd))));
        System.err.println("[rewind] run " + run.id() + " (checkpoints in " + run.dir() + ")");
        return Launcher.runInheritingIo(java.with(Launcher.rewindOptions(
            write.agentOptions(s.root().toString(), run.id(), null, store.trust), false)), cwd);
    }
}
