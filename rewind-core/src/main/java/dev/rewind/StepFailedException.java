package dev.rewind;

/**
 * Thrown by {@link Pipeline}'s {@code step} methods when a step body throws a checked exception,
 * which is this exception's {@link #getCause() cause}. Unchecked exceptions and errors thrown by a
 * step body propagate unchanged. Either way nothing is stored for the step, and the next run runs
 * it again.
 */
public class StepFailedException extends RewindException {
    private static final long serialVersionUID = 1L;
    private final String step;

    /**
     * @param step the name of the step that failed
     * @param message what happened
     * @param cause the checked exception the step body threw
     */
    public StepFailedException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    /** @return the name of the step that failed */
    public String step() {
        return step;
    }
}
