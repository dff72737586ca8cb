package dev.rewind.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rewind} command. */
@Command(name = "rewind", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Checkpoint a running Java program and resume it later, in a fresh JVM, from the middle of its"
        + " call stack.",
    subcommands = {RunCommand.class, ResumeCommand.class, LsCommand.class, RmCommand.class, GcCommand.class,
        StepsCommand.class, RerunCommand.class, ShowCommand.class, ExportCommand.class,
        DoctorCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
    /** Usage errors, as picocli reports them. */
    public static final int USAGE = 2;
    /** No usable checkpoint, or a checkpoint that cannot be read. */
    public static final int NO_CHECKPOINT = 3;
    /** The program could not be started. */
    public static final int LAUNCH_FAILED = 4;

    private Main() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the configured command line, for tests */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(new ErrorHandler());
    }
}
