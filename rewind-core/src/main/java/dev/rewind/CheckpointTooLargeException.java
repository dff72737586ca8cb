package dev.rewind;

/**
 * Thrown while a checkpoint is written when it grows past the store's {@code --max-size}. Nothing
 * of it becomes visible and earlier checkpoints are intact. {@link Rewind#checkpoint(String)} does
 * not throw it: it prints the message and the program goes on, with a handle whose
 * {@link Checkpoint#await()} reports the refusal.
 */
public class CheckpointTooLargeException extends CheckpointRefusedException {
    private static final long serialVersionUID = 1L;

    /** @param message which checkpoint, its size limit, and what to do */
    public CheckpointTooLargeException(String message) {
        super(message);
    }
}
