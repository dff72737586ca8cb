package dev.rewind.cli;

import dev.rewind.internal.launch.JavaCommand;
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
        // the agent creates the run, so that `rewind` can also start the program without this JVM (see ./rewind)
        return Launcher.runInheritingIo(Launcher.command(java, write.newRunOptions(store.root().toString(), store.trust),
            false), Path.of("").toAbsolutePath());
    }
}
