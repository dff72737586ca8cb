package dev.rewind;

/**
 * Thrown when a saved checkpoint cannot be read: missing, truncated, corrupt, written by an
 * incompatible Rewind version or by a different JDK feature version, or not a Rewind file at all.
 * Reading never changes anything on disk.
 */
public class CorruptCheckpointException extends RewindException {
    private static final long serialVersionUID = 1L;

    /** @param message which file, what is wrong with it, and what to do */
    public CorruptCheckpointException(String message) {
        super(message);
    }

    /**
     * @param message which file, what is wrong with it, and what to do
     * @param cause the underlying failure
     */
    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
