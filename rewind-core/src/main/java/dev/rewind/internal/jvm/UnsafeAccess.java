package dev.rewind.internal.jvm;

import dev.rewind.RewindException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteOrder;

/**
 * Rewind's only door to {@code jdk.internal.misc.Unsafe}: raw field reads and writes (static
 * fields too), allocation without constructors, bulk memory copies, and whether a class is
 * initialised. The serializer and the runtime both use it.
 *
 * <p>Why the internal Unsafe: {@code sun.misc.Unsafe} refuses field offsets of records and hidden
 * classes and prints deprecation warnings on newer JDKs. The internal one cannot be named in source
 * when compiling with {@code --release 17}, so every operation is a method handle bound to the
 * instance and held in a {@code static final} field, which the JIT inlines like a direct call.
 *
 * <p>If {@code java.base/jdk.internal.misc} is not exported to this code the class still loads;
 * {@link #require()} then throws a {@link RewindException} explaining how to run.
 */
public final class UnsafeAccess {
    private static final Throwable FAILURE;
    private static final MethodHandle OBJECT_FIELD_OFFSET, ALLOCATE_INSTANCE, COPY_MEMORY, COPY_SWAP_MEMORY;
    private static final MethodHandle GET_BOOLEAN, GET_BYTE, GET_SHORT, GET_CHAR, GET_INT, GET_LONG, GET_FLOAT,
            GET_DOUBLE, GET_REFERENCE;
    private static final MethodHandle PUT_BOOLEAN, PUT_BYTE, PUT_SHORT, PUT_CHAR, PUT_INT, PUT_LONG, PUT_FLOAT,
            PUT_DOUBLE, PUT_REFERENCE;
    private static final MethodHandle ARRAY_BASE_OFFSET;
    private static final MethodHandle SHOULD_BE_INITIALIZED, STATIC_FIELD_BASE, STATIC_FIELD_OFFSET;

    /** Whether array bytes are already in the stream's little-endian order. */
    public static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    static {
        Throwable failure = null;
        MethodHandle[] h = new MethodHandle[26];
        try {
            Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
            if (!Object.class.getModule().isExported("jdk.internal.misc", UnsafeAccess.class.getModule())) {
                throw new IllegalAccessException("java.base does not export jdk.internal.misc to " + UnsafeAccess.class.getModule());
            }
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Object unsafe = lookup.findStatic(type, "getUnsafe", MethodType.methodType(type)).invoke();
            h[0] = bind(lookup, type, unsafe, "objectFieldOffset", long.class, Field.class);
            h[1] = bind(lookup, type, unsafe, "allocateInstance", Object.class, Class.class);
            h[2] = bind(lookup, type, unsafe, "copyMemory", void.class, Object.class, long.class, Object.class, long.class, long.class);
            h[3] = bind(lookup, type, unsafe, "copySwapMemory", void.class, Object.class, long.class, Object.class, long.class,
                    long.class, long.class);
            Class<?>[] kinds = {boolean.class, byte.class, short.class, char.class, int.class, long.class, float.class,
                    double.class, Object.class};
            String[] names = {"Boolean", "Byte", "Short", "Char", "Int", "Long", "Float", "Double", "Reference"};
            for (int i = 0; i < kinds.length; i++) {
                h[4 + i] = bind(lookup, type, unsafe, "get" + names[i], kinds[i], Object.class, long.class);
                h[13 + i] = bind(lookup, type, unsafe, "put" + names[i], void.class, Object.class, long.class, kinds[i]);
            }
            try {
                h[22] = bind(lookup, type, unsafe, "arrayBaseOffset", long.class, Class.class); // JDK 24+
            } catch (NoSuchMethodException e) {
                h[22] = MethodHandles.explicitCastArguments(bind(lookup, type, unsafe, "arrayBaseOffset", int.class,
                        Class.class), MethodType.methodType(long.class, Class.class));
            }
            h[23] = bind(lookup, type, unsafe, "shouldBeInitialized", boolean.class, Class.class);
            h[24] = bind(lookup, type, unsafe, "staticFieldBase", Object.class, Field.class);
            h[25] = bind(lookup, type, unsafe, "staticFieldOffset", long.class, Field.class);
        } catch (Throwable t) {
            failure = t;
        }
        FAILURE = failure;
        OBJECT_FIELD_OFFSET = h[0];
        ALLOCATE_INSTANCE = h[1];
        COPY_MEMORY = h[2];
        COPY_SWAP_MEMORY = h[3];
        GET_BOOLEAN = h[4];
        GET_BYTE = h[5];
        GET_SHORT = h[6];
        GET_CHAR = h[7];
        GET_INT = h[8];
        GET_LONG = h[9];
        GET_FLOAT = h[10];
        GET_DOUBLE = h[11];
        GET_REFERENCE = h[12];
        PUT_BOOLEAN = h[13];
        PUT_BYTE = h[14];
        PUT_SHORT = h[15];
        PUT_CHAR = h[16];
        PUT_INT = h[17];
        PUT_LONG = h[18];
        PUT_FLOAT = h[19];
        PUT_DOUBLE = h[20];
        PUT_REFERENCE = h[21];
        ARRAY_BASE_OFFSET = h[22];
        SHOULD_BE_INITIALIZED = h[23];
        STATIC_FIELD_BASE = h[24];
        STATIC_FIELD_OFFSET = h[25];
    }

    private UnsafeAccess() {
    }

    private static MethodHandle bind(MethodHandles.Lookup lookup, Class<?> type, Object unsafe, String name,
                                     Class<?> ret, Class<?>... params) throws ReflectiveOperationException {
        return lookup.findVirtual(type, name, MethodType.methodType(ret, params)).bindTo(unsafe);
    }

    /** Fails with an actionable message when Unsafe is not reachable; call before any other method. */
    public static void require() {
        if (FAILURE instanceof IllegalAccessException) {
            throw new RewindException("Rewind cannot access jdk.internal.misc.Unsafe (" + FAILURE
                    + "). Run the program with the Rewind agent (`rewind run ...`), or add the JVM flag "
                    + "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED.", FAILURE);
        }
        if (FAILURE != null) {
            throw new RewindException("Rewind does not support this JDK: jdk.internal.misc.Unsafe lacks what it needs ("
                    + FAILURE + ")", FAILURE);
        }
    }

    public static long objectFieldOffset(Field f) {
        try {
            return (long) OBJECT_FIELD_OFFSET.invokeExact(f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return true when the class's static initialiser has run or is running (does not initialise it) */
    public static boolean isInitialized(Class<?> c) {
        try {
            return !(boolean) SHOULD_BE_INITIALIZED.invokeExact(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The object that holds a static field, for the get/put methods with {@link #staticFieldOffset}. */
    public static Object staticFieldBase(Field f) {
        try {
            return (Object) STATIC_FIELD_BASE.invokeExact(f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The offset of a static field in its {@link #staticFieldBase}. */
    public static long staticFieldOffset(Field f) {
        try {
            return (long) STATIC_FIELD_OFFSET.invokeExact(f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Offset of element 0 in arrays of the given class. */
    public static long arrayBaseOffset(Class<?> arrayClass) {
        try {
            return (long) ARRAY_BASE_OFFSET.invokeExact(arrayClass);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Allocates an instance without running any constructor. */
    public static Object allocateInstance(Class<?> c) throws InstantiationException {
        try {
            return (Object) ALLOCATE_INSTANCE.invokeExact(c);
        } catch (InstantiationException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Copies {@code bytes} between two primitive arrays (or an array and a byte[] buffer), swapping
     * each element of {@code elemSize} bytes on big-endian machines so the stream stays little-endian.
     */
    public static void copyLittleEndian(Object src, long srcOffset, Object dst, long dstOffset, long bytes, int elemSize) {
        try {
            if (NATIVE_LITTLE_ENDIAN || elemSize == 1) {
                COPY_MEMORY.invokeExact(src, srcOffset, dst, dstOffset, bytes);
            } else {
                COPY_SWAP_MEMORY.invokeExact(src, srcOffset, dst, dstOffset, bytes, (long) elemSize);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean getBoolean(Object o, long off) {
        try {
            return (boolean) GET_BOOLEAN.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static byte getByte(Object o, long off) {
        try {
            return (byte) GET_BYTE.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static short getShort(Object o, long off) {
        try {
            return (short) GET_SHORT.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static char getChar(Object o, long off) {
        try {
            return (char) GET_CHAR.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getInt(Object o, long off) {
        try {
            return (int) GET_INT.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long getLong(Object o, long off) {
        try {
            return (long) GET_LONG.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static float getFloat(Object o, long off) {
        try {
            return (float) GET_FLOAT.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static double getDouble(Object o, long off) {
        try {
            return (double) GET_DOUBLE.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static Object getReference(Object o, long off) {
        try {
            return (Object) GET_REFERENCE.invokeExact(o, off);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putBoolean(Object o, long off, boolean v) {
        try {
            PUT_BOOLEAN.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putByte(Object o, long off, byte v) {
        try {
            PUT_BYTE.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putShort(Object o, long off, short v) {
        try {
            PUT_SHORT.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putChar(Object o, long off, char v) {
        try {
            PUT_CHAR.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putInt(Object o, long off, int v) {
        try {
            PUT_INT.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putLong(Object o, long off, long v) {
        try {
            PUT_LONG.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putFloat(Object o, long off, float v) {
        try {
            PUT_FLOAT.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void putDouble(Object o, long off, double v) {
        try {
            PUT_DOUBLE.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Callers must have checked that {@code v} is assignable to the field: Unsafe does not. */
    public static void putReference(Object o, long off, Object v) {
        try {
            PUT_REFERENCE.invokeExact(o, off, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Unsafe's methods throw no checked exceptions here; anything else is a JVM error passed on as is. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }
}
