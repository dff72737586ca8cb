package dev.rewind.internal.explicit;

import dev.rewind.CorruptCheckpointException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

/**
 * The metadata of one saved version of a state object, kept in its checkpoint manifest as a small
 * properties text that a person can read: the format tag, the state's class and when it was saved.
 *
 * @param format {@link #FORMAT} for versions this Rewind wrote
 * @param className the binary name of the state's class
 * @param saved when the version was saved
 */
record StateMeta(String format, String className, Instant saved) {
    /** Format tag of the state written by this Rewind; a reader refuses any other. */
    static final String FORMAT = "rewind-state/1";

    static StateMeta now(Class<?> type) {
        return new StateMeta(FORMAT, type.getName(), Instant.now());
    }

    byte[] encode() {
        Properties p = new Properties();
        p.setProperty("format", format);
        p.setProperty("class", className);
        p.setProperty("saved", saved.toString());
        StringWriter w = new StringWriter();
        try {
            p.store(w, "Rewind state");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param what names the version in the error message
     * @throws CorruptCheckpointException when the text is not a state's metadata
     */
    static StateMeta decode(byte[] bytes, String what) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            String format = p.getProperty("format");
            String className = p.getProperty("class");
            if (format == null || className == null) {
                throw new IllegalArgumentException("no format or class entry");
            }
            return new StateMeta(format, className, Instant.parse(p.getProperty("saved", Instant.EPOCH.toString())));
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException(what + " has no readable state metadata (" + e.getMessage() + ")", e);
        }
    }
}
