package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import dev.rewind.CorruptCheckpointException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.ReferenceQueue;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a graph written by {@link GraphWriter}, typically in a fresh JVM, and returns its roots.
 *
 * <p>Objects are allocated without running constructors and their fields are set directly, so
 * classes need no no-arg constructor and final fields are restored. Every object is allocated when
 * it is first referenced and filled later, which is how cycles come back. Hash-based JDK collections
 * are filled last, once every key is complete. Enums, boxed values, Class objects and listed JDK
 * singletons come back as this JVM's canonical instances.
 *
 * <p>Input is validated as it is read: bad magic or version, truncation, malformed numbers, unknown
 * tags, out-of-range references, values of the wrong type for a field, implausible lengths, missing
 * or changed classes all end in a {@link CorruptCheckpointException} with a message saying what and
 * where; no other exception escapes {@link #read} for bad input. The reader stops exactly at the end
 * of the graph, so more data may follow it in the stream. Not thread-safe.
 *
 * <p>An application class whose fields changed since the checkpoint fails the read unless the reader
 * was given {@link Evolution#lenient()}, which adapts such classes and reports what it did.
 */
public final class GraphReader {
    private final InputStream stream;
    private final ClassResolver resolver;
    private final Evolution evolution;
    private InBuffer in;
    private ClassTableReader classTable;
    /** Objects by id. */
    private Object[] objects = new Object[1024];
    private int objectCount;
    /** Objects whose content follows, in stream order, with their class entries. */
    private Object[] pending = new Object[1024];
    private ReadClass[] pendingClasses = new ReadClass[1024];
    private int pendingSize;
    /** Hash-based collections to fill once the whole graph is read: target, type or null, settings, contents. */
    private final List<Object[]> rebuilds = new ArrayList<>();

    /**
     * A reader that fails on any class whose fields changed since the checkpoint ({@link Evolution#strict()}).
     *
     * @param in            the stream positioned at the start of a graph; not closed
     * @param classResolver finds the saved classes in this JVM
     * @throws dev.rewind.RewindException if jdk.internal.misc is not exported to Rewind
     */
    public GraphReader(InputStream in, ClassResolver classResolver) {
        this(in, classResolver, Evolution.strict());
    }

    /**
     * @param in            the stream positioned at the start of a graph; not closed
     * @param classResolver finds the saved classes in this JVM
     * @param evolution     what to do with application classes that changed since the checkpoint;
     *                      collects the report of lenient reading
     * @throws dev.rewind.RewindException if jdk.internal.misc is not exported to Rewind
     */
    public GraphReader(InputStream in, ClassResolver classResolver, Evolution evolution) {
        UnsafeAccess.require();
        this.stream = in;
        this.resolver = classResolver;
        this.evolution = evolution;
    }

    /**
     * Reads the graph.
     *
     * @return the roots, in the order they were given to {@link GraphWriter#write}
     * @throws CorruptCheckpointException if the input is not a complete, valid graph for the classes of
     *     this JVM; the message says what is wrong and where
     * @throws IOException never for bad bytes (those are reported as corrupt); declared for callers
     *     that treat the stream's own failures uniformly
     */
    public Object[] read() throws IOException {
        try {
            return readGraph();
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CorruptCheckpointException("cannot read the object graph: " + e, e);
        } catch (OutOfMemoryError e) {
            throw new CorruptCheckpointException("the object graph does not fit in the heap" + where()
                    + ": the checkpoint is corrupt or -Xmx is too small", e);
        } catch (RuntimeException | Error e) {
            throw new CorruptCheckpointException("corrupt object graph" + where() + ": " + e, e);
        }
    }

    private String where() {
        return in == null ? "" : " (at byte " + in.position() + ")";
    }

    private Object[] readGraph() throws IOException {
        byte[] header = stream.readNBytes(6);
        if (header.length < 6) {
            throw new CorruptCheckpointException("truncated object graph: the header needs 6 bytes, the checkpoint has "
                    + header.length);
        }
        if (!Arrays.equals(Arrays.copyOf(header, 4), Format.MAGIC)) {
            throw new CorruptCheckpointException("not a Rewind object graph: bad magic number");
        }
        int version = (header[4] & 0xFF) | (header[5] & 0xFF) << 8;
        if (version != Format.VERSION) {
            throw new CorruptCheckpointException("unsupported object graph format version " + version
                    + " (this Rewind reads version " + Format.VERSION + "): restore with the Rewind version that wrote it");
        }
        in = new InBuffer(stream, 6);
        classTable = new ClassTableReader(in, resolver, evolution);
        int rootCount = in.readVarInt();
        in.confirm(rootCount, "roots");
        Object[] roots = new Object[rootCount];
        for (int i = 0; i < rootCount; i++) {
            roots[i] = readRef();
        }
        for (int head = 0; head < pendingSize; head++) {
            Object o = pending[head];
            ReadClass rc = pendingClasses[head];
            pending[head] = null;
            pendingClasses[head] = null;
            readContent(o, rc);
        }
        int end = in.readUnsignedByte();
        if (end != Format.END) {
            throw in.corrupt(String.format("unknown object tag 0x%02X where the end of the graph was expected", end));
        }
        long count = in.readVarLong();
        if (count != objectCount) {
            throw in.corrupt("the graph says it has " + count + " objects but " + objectCount + " were read");
        }
        in.expectEnd();
        rebuildHashed();
        return roots;
    }

    /** Fills hash-based collections, last-discovered first, so nested collections are complete before they are hashed. */
    private void rebuildHashed() {
        for (int i = rebuilds.size() - 1; i >= 0; i--) {
            Object[] r = rebuilds.get(i);
            try {
                if (r[1] == null) {
                    HashedCollections.rebuildImmutable(r[0], (Object[]) r[3]);
                } else {
                    ((HashedCollections.MapType) r[1]).rebuild(r[0], (HashedCollections.Settings) r[2], (Object[]) r[3]);
                }
            } catch (RuntimeException e) {
                throw new CorruptCheckpointException("cannot rebuild a " + r[0].getClass().getName()
                        + " from the checkpoint: " + e, e);
            }
        }
    }

    private void register(Object o) {
        if (objectCount == objects.length) {
            objects = Arrays.copyOf(objects, objectCount * 2);
        }
        objects[objectCount++] = o;
    }

    private void enqueue(Object o, ReadClass rc) {
        if (pendingSize == pending.length) {
            pending = Arrays.copyOf(pending, pendingSize * 2);
            pendingClasses = Arrays.copyOf(pendingClasses, pendingSize * 2);
        }
        pending[pendingSize] = o;
        pendingClasses[pendingSize++] = rc;
    }

    private Object readRef() throws IOException {
        int v = in.readVarInt();
        if (v >= Format.REF_FIRST_ID) {
            int id = v - Format.REF_FIRST_ID;
            if (id >= objectCount) {
                throw in.corrupt("reference to object #" + id + ", but only " + objectCount + " objects exist so far");
            }
            return objects[id];
        }
        if (v == Format.REF_NULL) {
            return null;
        }
        ReadClass rc = classTable.readClassRef();
        Object o;
        switch (rc.kind) {
            case STRING: {
                boolean interned = in.readBoolean();
                String s = in.readString();
                o = interned ? s.intern() : s;
                break;
            }
            case BOXED:
                o = readBoxed(rc.info.code);
                break;
            case ENUM: {
                String name = in.readName("enum constant name");
                o = rc.enumConstant(name);
                if (o == null) {
                    throw in.corrupt("enum " + rc.type.getName() + " has no constant " + name
                            + " any more: the program changed since the checkpoint");
                }
                if (ClassInfo.of(o.getClass()).fields.length > 0) {
                    enqueue(o, rc);
                }
                break;
            }
            case CLASS:
                o = classTable.resolve(in.readName("class name"));
                break;
            case SINGLETON:
                o = rc.singleton;
                break;
            case PRIMITIVE_ARRAY:
                o = readPrimitiveArray(rc.info.code);
                break;
            case OBJECT_ARRAY: {
                int length = readLength(1, rc.type.getComponentType().getName() + "[]");
                try {
                    o = Array.newInstance(rc.type.getComponentType(), length);
                } catch (OutOfMemoryError e) {
                    throw in.corrupt("an array of " + length + " elements does not fit in the heap: the checkpoint is "
                            + "corrupt or -Xmx is too small");
                }
                enqueue(o, rc);
                break;
            }
            case LAMBDA:
                try {
                    o = rc.lambdaFactory.newInstance();
                } catch (Throwable t) {
                    throw new CorruptCheckpointException("cannot re-create a lambda of " + rc.type.getName() + ": " + t, t);
                }
                enqueue(o, rc);
                break;
            case REFERENCE:
                o = allocate(rc.type);
                // never leave a null queue in a Reference: the JDK's reference handler would fail on it
                UnsafeAccess.putReference(o, ReferenceLayout.QUEUE, ReferenceLayout.NO_QUEUE);
                enqueue(o, rc);
                break;
            default:
                o = allocate(rc.type);
                enqueue(o, rc);
                break;
        }
        register(o);
        return o;
    }

    private Object allocate(Class<?> c) {
        try {
            return UnsafeAccess.allocateInstance(c);
        } catch (InstantiationException e) {
            throw in.corrupt("cannot allocate an instance of " + c.getName() + " (" + e.getMessage() + ")");
        }
    }

    /** Reads an array length and checks that at least {@code minBytesEach} bytes per element follow. */
    private int readLength(int minBytesEach, String what) throws IOException {
        int length = in.readVarInt();
        if (length > InBuffer.MAX_ARRAY) {
            throw in.corrupt("array length " + length + " of " + what + " is impossible");
        }
        in.confirm((long) length * minBytesEach, what + " data");
        return length;
    }

    private Object readPrimitiveArray(char code) throws IOException {
        int size = Descriptors.size(code);
        String what = Descriptors.primitiveOf(code).getName() + "[]";
        int length = readLength(size, what);
        Object a;
        try {
            switch (code) {
                case 'I': a = new int[length]; break;
                case 'J': a = new long[length]; break;
                case 'D': a = new double[length]; break;
                case 'F': a = new float[length]; break;
                case 'Z': a = new boolean[length]; break;
                case 'B': a = new byte[length]; break;
                case 'C': a = new char[length]; break;
                case 'S': a = new short[length]; break;
                default: throw new AssertionError(code);
            }
        } catch (OutOfMemoryError e) {
            throw in.corrupt("a " + what + " of " + length + " elements does not fit in the heap: the checkpoint is "
                    + "corrupt or -Xmx is too small");
        }
        long bytes = (long) length * size;
        long base = UnsafeAccess.arrayBaseOffset(a.getClass());
        in.readBulk(a, base, bytes, size, bytes + " bytes of " + what + " data");
        if (code == 'Z') {
            checkBooleans((boolean[]) a, base);
        }
        return a;
    }

    /** A boolean must be 0 or 1 in memory; anything else is corrupt input. */
    private void checkBooleans(boolean[] a, long base) {
        for (int i = 0; i < a.length; i++) {
            if ((UnsafeAccess.getByte(a, base + i) & 0xFE) != 0) {
                throw in.corrupt("invalid boolean value in a boolean[]");
            }
        }
    }

    private Object readBoxed(char code) throws IOException {
        switch (code) {
            case 'I': return Integer.valueOf(in.readInt());
            case 'J': return Long.valueOf(in.readLong());
            case 'D': return Double.valueOf(in.readDouble());
            case 'F': return Float.valueOf(in.readFloat());
            case 'Z': return Boolean.valueOf(in.readBoolean());
            case 'B': return Byte.valueOf(in.readByte());
            case 'C': return Character.valueOf(in.readChar());
            case 'S': return Short.valueOf(in.readShort());
            default: throw new AssertionError(code);
        }
    }

    private void readContent(Object o, ReadClass rc) throws IOException {
        switch (rc.kind) {
            case ENUM: {
                FieldSlot[] fields = ClassInfo.of(o.getClass()).fields;
                int count = in.readVarInt();
                if (count != fields.length) {
                    throw in.corrupt("enum " + o.getClass().getName() + " changed since the checkpoint: it had "
                            + count + " instance fields and now has " + fields.length);
                }
                readFields(o, fields);
                break;
            }
            case PLAIN:
            case LAMBDA:
                readFields(o, rc);
                break;
            case OBJECT_ARRAY: {
                Object[] a = (Object[]) o;
                Class<?> component = rc.type.getComponentType();
                for (int i = 0; i < a.length; i++) {
                    Object e = readRef();
                    if (e != null && !component.isInstance(e)) {
                        throw in.corrupt("a " + e.getClass().getName() + " cannot be an element of a "
                                + component.getName() + "[]");
                    }
                    a[i] = e;
                }
                break;
            }
            case HASH_MAP: {
                readFields(o, rc);
                HashedCollections.Settings s = new HashedCollections.Settings();
                s.loadFactor = in.readFloat();
                s.capacity = in.readVarInt();
                s.modCount = in.readInt();
                s.accessOrder = in.readBoolean();
                if (!(s.loadFactor > 0) || s.loadFactor > 1e6f) {
                    throw in.corrupt("invalid load factor " + s.loadFactor);
                }
                rebuilds.add(new Object[] {o, rc.info.mapType, s, readRefs(2)});
                break;
            }
            case IMMUTABLE_SET:
                rebuilds.add(new Object[] {o, null, null, readRefs(1)});
                break;
            case IMMUTABLE_MAP:
                rebuilds.add(new Object[] {o, null, null, readRefs(2)});
                break;
            case REFERENCE: {
                Object referent = readRef();
                Object queue = readRef();
                if (queue != null && !(queue instanceof ReferenceQueue)) {
                    throw in.corrupt("a " + queue.getClass().getName() + " cannot be the queue of a reference");
                }
                UnsafeAccess.putReference(o, ReferenceLayout.QUEUE, queue == null ? ReferenceLayout.NO_QUEUE : queue);
                UnsafeAccess.putReference(o, ReferenceLayout.REFERENT, referent);
                readFields(o, rc);
                break;
            }
            default:
                throw new AssertionError(rc.kind);
        }
    }

    /** A count of items (entries: 2 refs each, elements: 1), then the refs. */
    private Object[] readRefs(int perItem) throws IOException {
        int n = in.readVarInt();
        if ((long) n * perItem > InBuffer.MAX_ARRAY) {
            throw in.corrupt("collection size " + n + " is impossible");
        }
        in.confirm((long) n * perItem, "collection entries");
        Object[] refs = new Object[n * perItem];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = readRef();
        }
        return refs;
    }

    /** Reads the fields of an object of a class read field by field, adapting them if the class changed. */
    private void readFields(Object o, ReadClass rc) throws IOException {
        if (rc.evolved == null) {
            readFields(o, rc.info.fields);
            return;
        }
        for (SavedField s : rc.evolved) {
            FieldSlot f = s.target;
            if (f != null && !s.retyped) {
                readField(o, f);
            } else if (s.code != 'L') {
                readWidened(o, s.code, f);
            } else {
                // read even when dropped: the object it refers to gets its id and its content is read
                Object v = readRef();
                if (f == null) {
                    continue;
                }
                if (v == null || f.type.isInstance(v)) {
                    UnsafeAccess.putReference(o, f.offset, v);
                    evolution.note(s.keptNote);
                } else {
                    evolution.note(s.defaultedNote);
                }
            }
        }
    }

    private void readFields(Object o, FieldSlot[] fields) throws IOException {
        for (FieldSlot f : fields) {
            readField(o, f);
        }
    }

    private void readField(Object o, FieldSlot f) throws IOException {
        long off = f.offset;
        switch (f.code) {
            case 'I': UnsafeAccess.putInt(o, off, in.readInt()); break;
            case 'J': UnsafeAccess.putLong(o, off, in.readLong()); break;
            case 'D': UnsafeAccess.putDouble(o, off, in.readDouble()); break;
            case 'F': UnsafeAccess.putFloat(o, off, in.readFloat()); break;
            case 'Z': UnsafeAccess.putBoolean(o, off, in.readBoolean()); break;
            case 'B': UnsafeAccess.putByte(o, off, in.readByte()); break;
            case 'C': UnsafeAccess.putChar(o, off, in.readChar()); break;
            case 'S': UnsafeAccess.putShort(o, off, in.readShort()); break;
            default: {
                Object v = readRef();
                if (v != null && !f.type.isInstance(v)) {
                    throw in.corrupt("a " + v.getClass().getName() + " cannot be stored in field '" + f.name
                            + "' (" + f.type.getName() + ") of " + o.getClass().getName());
                }
                UnsafeAccess.putReference(o, off, v);
                break;
            }
        }
    }

    /**
     * Reads a saved primitive of type {@code code} and stores it in {@code target}, whose type is the
     * same or an exact widening of it ({@link SavedField#widensExactly}), or drops it if target is null.
     */
    private void readWidened(Object o, char code, FieldSlot target) throws IOException {
        if (code == 'F' || code == 'D') {
            double d = code == 'F' ? in.readFloat() : in.readDouble();
            if (target != null) {
                // float to double is the only widening of a floating-point value
                UnsafeAccess.putDouble(o, target.offset, d);
            }
            return;
        }
        long n;
        switch (code) {
            case 'Z': n = in.readBoolean() ? 1 : 0; break;
            case 'B': n = in.readByte(); break;
            case 'C': n = in.readChar(); break;
            case 'S': n = in.readShort(); break;
            case 'I': n = in.readInt(); break;
            case 'J': n = in.readLong(); break;
            default: throw new AssertionError(code);
        }
        if (target == null) {
            return;
        }
        long off = target.offset;
        switch (target.code) {
            case 'S': UnsafeAccess.putShort(o, off, (short) n); break;
            case 'I': UnsafeAccess.putInt(o, off, (int) n); break;
            case 'J': UnsafeAccess.putLong(o, off, n); break;
            case 'F': UnsafeAccess.putFloat(o, off, (float) n); break;
            case 'D': UnsafeAccess.putDouble(o, off, (double) n); break;
            default: throw new AssertionError(target.code);
        }
    }
}
