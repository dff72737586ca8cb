package dev.rewind.internal.launch;

/** A command line Rewind cannot run: not a java command, no main class, an unsupported mode. */
public final class CommandLineException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, and what to do */
    public CommandLineException(String message) {
        super(message);
    }
}
