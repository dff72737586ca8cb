package dev.rewind.internal.runtime;

import dev.rewind.RewindException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * The runtime's door to {@code jdk.internal.misc.Unsafe} for what reflection cannot do: write
 * static final fields, allocate without a constructor, and ask whether a class is initialised
 * without initialising it. The agent exports jdk.internal.misc to Rewind at start-up.
 */
final class JvmAccess {
    private static final Object UNSAFE;
    private static final MethodHandle SHOULD_BE_INITIALIZED;
    private static final MethodHandle STATIC_BASE;
    private static final MethodHandle STATIC_OFFSET;
    private static final MethodHandle PUT_REFERENCE;
    private static final MethodHandle ALLOCATE;
    private static final Throwable FAILURE;

    static {
        Object unsafe = null;
        MethodHandle init = null;
        MethodHandle base = null;
        MethodHandle offset = null;
        MethodHandle put = null;
        MethodHandle allocate = null;
        Throwable failure = null;
        try {
            Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            unsafe = lookup.findStatic(type, "getUnsafe", MethodType.methodType(type)).invoke();
            init = lookup.findVirtual(type, "shouldBeInitialized", MethodType.methodType(boolean.class, Class.class))
                .bindTo(unsafe);
            base = lookup.findVirtual(type, "staticFieldBase", MethodType.methodType(Object.class, Field.class))
                .bindTo(unsafe);
            offset = lookup.findVirtual(type, "staticFieldOffset", MethodType.methodType(long.class, Field.class))
                .bindTo(unsafe);
            put = lookup.findVirtual(type, "putReference",
                MethodType.methodType(void.class, Object.class, long.class, Object.class)).bindTo(unsafe);
            allocate = lookup.findVirtual(type, "allocateInstance", MethodType.methodType(Object.class, Class.class))
                .bindTo(unsafe);
        } catch (Throwable t) {
            failure = t;
        }
        UNSAFE = unsafe;
        SHOULD_BE_INITIALIZED = init;
        STATIC_BASE = base;
        STATIC_OFFSET = offset;
        PUT_REFERENCE = put;
        ALLOCATE = allocate;
        FAILURE = failure;
    }

    private JvmAccess() {
    }

    private static void require() {
        if (FAILURE != null) {
            throw new RewindException("Rewind cannot reach jdk.internal.misc.Unsafe (" + FAILURE
                + "). Start the program with `rewind run`, which exports it.", FAILURE);
        }
    }

    /** @return true when the class's static initialiser has run (or is running) */
    static boolean isInitialized(Class<?> c) {
        require();
        try {
            return !(boolean) SHOULD_BE_INITIALIZED.invokeExact(c);
        } catch (Throwable t) {
            throw new RewindException("cannot query class " + c.getName(), t);
        }
    }

    /** Writes a static field, final or not; primitives arrive boxed. */
    static void putStatic(Field f, Object value) {
        require();
        try {
            if (!java.lang.reflect.Modifier.isFinal(f.getModifiers())) {
                f.setAccessible(true);
                f.set(null, value);
                return;
            }
            Object base = (Object) STATIC_BASE.invokeExact(f);
            long offset = (long) STATIC_OFFSET.invokeExact(f);
            Class<?> t = f.getType();
            if (!t.isPrimitive()) {
                PUT_REFERENCE.invokeExact(base, offset, value);
                return;
            }
            String name = "put" + Character.toUpperCase(t.getName().charAt(0)) + t.getName().substring(1);
            MethodHandles.lookup().findVirtual(UNSAFE.getClass(), name,
                MethodType.methodType(void.class, Object.class, long.class, t)).invoke(UNSAFE, base, offset, value);
        } catch (Throwable t) {
            throw new RewindException("cannot restore static field " + f.getDeclaringClass().getName() + "."
                + f.getName() + ": " + t, t);
        }
    }

    /** @return a new instance of c whose constructor has not run */
    static Object allocate(Class<?> c) {
        require();
        try {
            return (Object) ALLOCATE.invokeExact(c);
        } catch (Throwable t) {
            throw new RewindException("cannot allocate an instance of " + c.getName(), t);
        }
    }
}
