package dev.rewind;

/**
 * Thrown by {@link Rewind#checkpoint(String)} and {@link Rewind#saveJump()} when the current state
 * could not be resumed later: a constructor or native frame on the stack, an uninitialised object
 * in a slot, or an object that cannot be saved (thread, socket, stream, class loader). The message
 * names the frame, the source line and the object path. Nothing is written when this is thrown;
 * the program can catch it and go on.
 */
public class CheckpointRefusedException extends RewindException {
    private static final long serialVersionUID = 1L;

    /** @param message what cannot be saved, where, and what to do */
    public CheckpointRefusedException(String message) {
        super(message);
    }

    /**
     * @param message what cannot be saved, where, and what to do
     * @param cause the underlying failure
     */
    public CheckpointRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
