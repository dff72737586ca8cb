package dev.rewind.cli;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints Rewind's own errors as one clear line instead of a stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof RewindException) {
            cmd.getErr().println("rewind: " + e.getMessage());
            return e instanceof CorruptCheckpointException ? Main.NO_CHECKPOINT : 1;
        }
        if (e instanceof UsageException || e instanceof dev.rewind.internal.launch.CommandLineException) {
            cmd.getErr().println("rewind: " + e.getMessage());
            cmd.getErr().println("Try 'rewind " + cmd.getCommandName() + " --help'.");
            return Main.USAGE;
        }
        cmd.getErr().println("rewind: internal error: " + e);
        e.printStackTrace(cmd.getErr());
        return 70;
    }
}
