package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import java.lang.reflect.Field;

/** One saved instance field: where it lives in the object and how it is encoded. */
final class FieldSlot {
    /** Field name as declared. */
    final String name;
    /** Declared type; reference values read back are checked against it before being stored. */
    final Class<?> type;
    /** Raw offset for Unsafe access. */
    final long offset;
    /** Encoding: one of Z B C S I J F D for primitives, L for references. */
    final char code;
    /** 0 for the class itself, 1 for its superclass, ...: tells shadowed fields apart. */
    final int depth;

    FieldSlot(Field f, int depth) {
        this.name = f.getName();
        this.type = f.getType();
        this.offset = UnsafeAccess.objectFieldOffset(f);
        this.code = Descriptors.code(type);
        this.depth = depth;
    }

    /** Name of the type as the stream stores it (binary name, or the primitive keyword). */
    String typeName() {
        return type.getName();
    }
}
