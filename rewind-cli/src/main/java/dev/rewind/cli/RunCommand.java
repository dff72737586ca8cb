package dev.rewind.cli;

import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rewind run -- java ...}: records the command and starts it with the agent. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a Java program under Rewind. Its checkpoints go to a new run in the store.",
    footer = {"", "Example:", "  rewind run -- java -cp app.jar demo.Simulation 1000"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(arity = "1..*", paramLabel = "-- java ...",
        description = "The java command: java [jvm options] (-cp CP Main | -jar app.jar | File.java) [args].")
    List<String> command;

    @Override
    public Integer call() {
        JavaCommand java = JavaCommand.parse(command);
        RunStore s = store.open();
        Path cwd = Path.of("").toAbsolutePath();
        Run run = s.createRun(command, cwd);
        System.err.println("[rewind] run " + run.id() + " (checkpoints in " + run.dir() + ")");
        AgentOptions options = new AgentOptions(s.root().toString(), run.id(), null);
        return Launcher.runInheritingIo(java.with(Launcher.rewindOptions(options, false)), cwd);
    }
}
