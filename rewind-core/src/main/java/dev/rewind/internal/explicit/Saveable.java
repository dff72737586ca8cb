package dev.rewind.internal.explicit;

/**
 * Something the explicit APIs can save on demand when the process gets a signal: an open
 * {@link dev.rewind.StateCheckpoint}, a pipeline. Registered with {@link SignalSaver} while open.
 */
public interface Saveable {
    /** @return how the prompt and the notes name it, e.g. {@code state 'counter'} */
    String describe();

    /**
     * Saves now and returns once the save is durable.
     *
     * @return the saved version's number
     * @throws dev.rewind.RewindException when it cannot be saved (the previous version stays)
     */
    int saveNow();

    /**
     * @return the lock the program mutates the state under, held by the interactive prompt so that
     *     the program pauses at its next update while the user answers; null when there is none
     */
    default Object pauseLock() {
        return null;
    }
}
