package dev.rewind;

/**
 * Root of every exception Rewind throws. Messages say what happened, where (frame, source line,
 * object path or file) and what to do about it.
 */
public class RewindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, where, and what to do */
    public RewindException(String message) {
        super(message);
    }

    /**
     * @param message what happened, where, and what to do
     * @param cause the underlying failure
     */
    public RewindException(String message, Throwable cause) {
        super(message, cause);
    }
}
