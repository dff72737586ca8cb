package dev.rewind.internal.serial;

/**
 * Lenient reading ({@link Evolution#lenient()}): one field as the checkpoint saved it, and where its
 * value goes in the class as it is in this JVM. The stream holds every saved field, so each one is
 * read whatever happens to its value; that keeps the stream and the object ids in step.
 */
final class SavedField {
    /** How the stream encodes the value: a primitive letter, or L for a reference. */
    final char code;
    /** The field that receives the value, or null if the value is read and dropped. */
    final FieldSlot target;
    /**
     * Whether the type changed: a primitive is widened to {@link #target}'s type, a reference is
     * stored only if it fits. Unchanged fields are read exactly as in strict mode.
     */
    final boolean retyped;
    /** For a retyped reference: the report line when a value is kept, and when it does not fit. */
    final String keptNote, defaultedNote;

    SavedField(char code, FieldSlot target, boolean retyped, String keptNote, String defaultedNote) {
        this.code = code;
        this.target = target;
        this.retyped = retyped;
        this.keptNote = keptNote;
        this.defaultedNote = defaultedNote;
    }

    /**
     * Widening primitive conversions (JLS 5.1.2) that are exact for every value; int or long to float
     * and long to double round, so a checkpoint's values would silently change.
     */
    static boolean widensExactly(char from, char to) {
        switch (from) {
            case 'B': return "SIJFD".indexOf(to) >= 0;
            case 'S':
            case 'C': return "IJFD".indexOf(to) >= 0;
            case 'I': return to == 'J' || to == 'D';
            case 'F': return to == 'D';
            default: return false;
        }
    }
}
