package dev.rewind;

/**
 * Thrown when a saved checkpoint or state is intact but not signed with this user's key: it was
 * written by another user or machine, or changed by hand. Loading it would instantiate classes and
 * set fields as it says, so Rewind refuses it unless the user trusts it explicitly ({@code --trust}
 * on the command line, {@code trust()} in the builders of the Java API).
 */
public class UntrustedCheckpointException extends CorruptCheckpointException {
    private static final long serialVersionUID = 1L;

    /** @param message which file, why it is not trusted, and how to trust it */
    public UntrustedCheckpointException(String message) {
        super(message);
    }
}
