package dev.rewind.internal.runtime;

import dev.rewind.RewindException;
import dev.rewind.internal.jvm.UnsafeAccess;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * What the runtime needs beyond reflection, on top of {@link UnsafeAccess}: write static final
 * fields, allocate without a constructor, and ask whether a class is initialised without
 * initialising it; failures become RewindExceptions naming the class or field.
 */
final class JvmAccess {
    private JvmAccess() {
    }

    /** @return true when the class's static initialiser has run (or is running) */
    static boolean isInitialized(Class<?> c) {
        UnsafeAccess.require();
        return UnsafeAccess.isInitialized(c);
    }

    /** Writes a static field, final or not; primitives arrive boxed. */
    static void putStatic(Field f, Object value) {
        UnsafeAccess.require();
        try {
            if (!Modifier.isFinal(f.getModifiers())) {
                f.setAccessible(true);
                f.set(null, value);
                return;
            }
            Object base = UnsafeAccess.staticFieldBase(f);
            long offset = UnsafeAccess.staticFieldOffset(f);
            Class<?> t = f.getType();
            if (!t.isPrimitive()) {
                UnsafeAccess.putReference(base, offset, value);
            } else if (t == int.class) {
                UnsafeAccess.putInt(base, offset, (Integer) value);
            } else if (t == long.class) {
                UnsafeAccess.putLong(base, offset, (Long) value);
            } else if (t == double.class) {
                UnsafeAccess.putDouble(base, offset, (Double) value);
            } else if (t == float.class) {
                UnsafeAccess.putFloat(base, offset, (Float) value);
            } else if (t == boolean.class) {
                UnsafeAccess.putBoolean(base, offset, (Boolean) value);
            } else if (t == byte.class) {
                UnsafeAccess.putByte(base, offset, (Byte) value);
            } else if (t == short.class) {
                UnsafeAccess.putShort(base, offset, (Short) value);
            } else {
                UnsafeAccess.putChar(base, offset, (Character) value);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new RewindException("cannot restore static field " + f.getDeclaringClass().getName() + "."
                + f.getName() + ": " + e, e);
        }
    }

    /** @return a new instance of c whose constructor has not run */
    static Object allocate(Class<?> c) {
        UnsafeAccess.require();
        try {
            return UnsafeAccess.allocateInstance(c);
        } catch (InstantiationException | RuntimeException e) {
            throw new RewindException("cannot allocate an instance of " + c.getName() + ": " + e, e);
        }
    }
}
