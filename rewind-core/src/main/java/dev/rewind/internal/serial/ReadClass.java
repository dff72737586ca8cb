package dev.rewind.internal.serial;

import java.util.HashMap;
import java.util.Map;

/** One entry of the class table as the reader rebuilt it: the resolved class and how to make instances. */
final class ReadClass {
    final Kind kind;
    /** The resolved class; for SINGLETON the instance's class, for LAMBDA the class spun in this JVM. */
    final Class<?> type;
    /** Layout of {@link #type} in this JVM, verified to match the saved one unless {@link #evolved} is set. */
    final ClassInfo info;
    /**
     * Lenient reading of a changed application class: the saved fields in stream order and where
     * each value goes; null when the class has exactly the saved fields.
     */
    SavedField[] evolved;
    /** SINGLETON: the instance of this JVM. */
    Object singleton;
    /** LAMBDA: makes instances of the re-created lambda class. */
    LambdaShape.Factory lambdaFactory;
    /** ENUM: constants by name, built on first use. */
    private Map<String, Object> constants;

    ReadClass(Kind kind, Class<?> type, ClassInfo info) {
        this.kind = kind;
        this.type = type;
        this.info = info;
    }

    /** @return the constant named {@code name} of this enum in this JVM, or null if it no longer exists */
    Object enumConstant(String name) {
        if (constants == null) {
            constants = new HashMap<>();
            for (Object c : type.getEnumConstants()) {
                constants.put(((Enum<?>) c).name(), c);
            }
        }
        return constants.get(name);
    }
}
