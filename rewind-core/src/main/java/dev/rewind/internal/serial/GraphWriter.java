package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import dev.rewind.CheckpointRefusedException;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Map;

/**
 * Writes an object graph (stack slot values, static field values and everything reachable from
 * them) to a stream, so that {@link GraphReader} can rebuild it in a fresh JVM with the same shape:
 * shared references stay shared, cycles stay cycles.
 *
 * <p>What is saved: for JDK classes every instance field (transient ones too, since JDK classes keep
 * real state in them); for application classes every non-transient instance field (transient ones
 * come back as 0/false/null). Strings, boxed values, enums, Class objects, primitive arrays, some JDK
 * singletons, serializable lambdas and hash-based JDK collections are written in dedicated forms that
 * survive the move to another JVM. Objects bound to the running process (threads, sockets, open files,
 * class loaders, ...) are refused with a {@link CheckpointRefusedException} naming the path to them.
 * A WeakReference or SoftReference is saved with its referent held strongly, if it is still set.
 *
 * <p>The traversal uses an explicit queue, so graph depth (say a million-element linked list) does not
 * matter. Not thread-safe; one writer per stream. The graph must not change while it is written.
 */
public final class GraphWriter {
    /** Object count of the last graph written by any writer, to size the next id table. */
    private static volatile int lastGraphSize;

    private final OutBuffer out;
    private IdentityIds ids;
    private ClassTableWriter classTable;
    /** Objects whose content is still to be written, in the order their refs were written. */
    private Object[] queue = new Object[1024];
    /** Map entries on their way to {@link #writeRefs(Object[], int, int)}; emptied after each graph. */
    private final Object[] batch = new Object[IdentityIds.BATCH];
    private int queueSize;
    private Object[] roots;
    private String[] rootPaths;
    private long objectCount;
    /** Whether strings are written without their interned flag (see {@link #forHashing}). */
    private final boolean contentOnly;

    /**
     * @param out where the graph goes; it is flushed at the end of {@link #write} but never closed
     * @throws dev.rewind.RewindException if jdk.internal.misc is not exported to Rewind (run under the
     *     Rewind agent or add {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED})
     */
    public GraphWriter(OutputStream out) {
        this(out, false);
    }

    private GraphWriter(OutputStream out, boolean contentOnly) {
        UnsafeAccess.require();
        this.out = new OutBuffer(out);
        this.contentOnly = contentOnly;
    }

    /**
     * A writer whose output depends on the graph's content only, for hashing (pipeline step inputs):
     * whether a string is interned depends on what the JVM did before (and {@link String#intern()}
     * changes it), so this writer writes every string as not interned and interns nothing. Its
     * output reads back like any other, with no string interned.
     *
     * @throws dev.rewind.RewindException as {@link #GraphWriter(OutputStream)}
     */
    public static GraphWriter forHashing(OutputStream out) {
        return new GraphWriter(out, true);
    }

    /**
     * Writes {@code roots} as one graph: an object reachable from several roots is written once and
     * read back as one object. {@code rootPaths[i]} is the human name of root i, used in refusal
     * messages, e.g. "frame demo.Sim.run(Sim.java:42) → local grid".
     *
     * <p>If the graph contains something that cannot be saved, this throws before the graph is
     * complete; some bytes may already have been written to the stream, so callers should write to a
     * temporary file and discard it on failure.
     *
     * @throws CheckpointRefusedException naming what cannot be saved, the full path to it, why, and
     *     what to do (typically: mark the field transient and re-create the object when
     *     Rewind.checkpoint returns null)
     * @throws IOException from the stream
     */
    public void write(Object[] roots, String[] rootPaths) throws IOException {
        if (roots.length != rootPaths.length) {
            throw new IllegalArgumentException(roots.length + " roots but " + rootPaths.length + " root paths");
        }
        this.roots = roots;
        this.rootPaths = rootPaths;
        // size the id table like the last graph: checkpoints of one program tend to have similar sizes,
        // and growing a table of millions of entries costs more than writing the objects
        ids = new IdentityIds(Math.max(1024, lastGraphSize));
        classTable = new ClassTableWriter(out);
        queueSize = 0;
        objectCount = 0;
        out.discard();
        try {
            byte[] header = Arrays.copyOf(Format.MAGIC, 6);
            header[4] = (byte) Format.VERSION;
            header[5] = (byte) (Format.VERSION >>> 8);
            out.writeRaw(header);
            out.writeVarInt(roots.length);
            for (Object root : roots) {
                writeRef(root);
            }
            for (int head = 0; head < queueSize; head++) {
                Object o = queue[head];
                queue[head] = null;
                writeContent(o);
            }
            out.writeByte(Format.END);
            out.writeVarLong(objectCount);
            out.finish();
        } finally {
            objectCount = ids.size();
            lastGraphSize = (int) Math.min(objectCount, 1 << 22);
            this.roots = null;
            this.rootPaths = null;
            ids = null;
            classTable = null;
            Arrays.fill(batch, null);
            queue = new Object[1024];
        }
    }

    /** @return the number of distinct objects written by the last {@link #write} */
    public long objectCount() {
        return objectCount;
    }

    private void enqueue(Object o) {
        if (queueSize == queue.length) {
            queue = Arrays.copyOf(queue, queue.length * 2);
        }
        queue[queueSize++] = o;
    }

    /** Starts the record of an object that {@link #writeRef} has just given the next id. */
    private void newObject() throws IOException {
        objectCount++;
        out.writeVarInt(Format.REF_NEW);
    }

    private void writeRef(Object o) throws IOException {
        if (o == null) {
            out.writeVarInt(Format.REF_NULL);
            return;
        }
        int id = ids.putIfAbsent(o);
        if (id >= 0) {
            out.writeVarInt(id + Format.REF_FIRST_ID);
            return;
        }
        // o now has the next id; every path below either writes it as a new object or refuses
        ClassInfo info = ClassInfo.of(o.getClass());
        if (info.singletonCandidate) {
            String name = JdkSingletons.nameOf(o);
            if (name != null) {
                newObject();
                classTable.writeSingleton(name);
                return;
            }
        }
        switch (info.kind) {
            case STRING:
                newObject();
                classTable.writeClassRef(info);
                // keep the identity of interned strings (literals): code compares them with ==
                out.writeBoolean(!contentOnly && ((String) o).intern() == o);
                out.writeString((String) o);
                break;
            case BOXED:
                newObject();
                classTable.writeClassRef(info);
                writeBoxed(o, info.code);
                break;
            case ENUM:
                newObject();
                classTable.writeClassRef(info);
                out.writeString(((Enum<?>) o).name());
                if (info.fields.length > 0) {
                    enqueue(o);
                }
                break;
            case CLASS: {
                Class<?> c = (Class<?>) o;
                if (c.isHidden() || (c.isArray() && ClassInfo.of(c).kind == Kind.REFUSED)) {
                    throw refuse(o, "the Class object of hidden class " + c.getName(),
                            new Refusal("hidden classes cannot be found by name in another JVM", "look it up again"));
                }
                newObject();
                classTable.writeClassRef(info);
                out.writeString(c.getName());
                break;
            }
            case PRIMITIVE_ARRAY:
                newObject();
                classTable.writeClassRef(info);
                writePrimitiveArray(o, info.code);
                break;
            case OBJECT_ARRAY:
                newObject();
                classTable.writeClassRef(info);
                out.writeVarInt(((Object[]) o).length);
                enqueue(o);
                break;
            case LAMBDA:
                if (info.lambdaShape == null) {
                    try {
                        info.lambdaShape = LambdaShape.of(o);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        throw refuse(o, null, new Refusal("its SerializedLambda could not be obtained (" + e
                                + "); is java.base opened to Rewind?", "re-create it"));
                    }
                }
                newObject();
                classTable.writeClassRef(info);
                enqueue(o);
                break;
            case PLAIN:
            case HASH_MAP:
            case IMMUTABLE_SET:
            case IMMUTABLE_MAP:
            case REFERENCE:
                newObject();
                classTable.writeClassRef(info);
                enqueue(o);
                break;
            case REFUSED:
            default:
                throw refuse(o, null, info.refusal);
        }
    }

    private void writeContent(Object o) throws IOException {
        ClassInfo info = ClassInfo.of(o.getClass());
        switch (info.kind) {
            case PLAIN:
            case LAMBDA:
                writeFields(o, info.fields);
                break;
            case ENUM:
                out.writeVarInt(info.fields.length);
                writeFields(o, info.fields);
                break;
            case OBJECT_ARRAY: {
                Object[] a = (Object[]) o;
                writeRefs(a, 0, a.length);
                break;
            }
            case HASH_MAP: {
                writeFields(o, info.fields);
                HashedCollections.Settings s = info.mapType.settings(o);
                out.writeFloat(s.loadFactor);
                out.writeVarInt(s.capacity);
                out.writeInt(s.modCount);
                out.writeBoolean(s.accessOrder);
                if (info.mapType.weaklyConsistent) {
                    // concurrent and weak maps can change size while iterated: count a snapshot
                    writeRefs(HashedCollections.entries((Map<?, ?>) o), 2);
                } else {
                    writeEntries((Map<?, ?>) o);
                }
                break;
            }
            case IMMUTABLE_SET:
                writeRefs(HashedCollections.immutableContents(o), 1);
                break;
            case IMMUTABLE_MAP:
                writeRefs(HashedCollections.immutableContents(o), 2);
                break;
            case REFERENCE: {
                writeRef(((Reference<?>) o).get());
                writeRef(ReferenceLayout.queueOf(o));
                writeFields(o, info.fields);
                break;
            }
            default:
                throw new AssertionError(info.kind);
        }
    }

    /** Size, then keys and values in iteration order, without copying the entries first. */
    private void writeEntries(Map<?, ?> map) throws IOException {
        int size = map.size();
        out.writeVarInt(size);
        int written = 0;
        // entries go through a batch so that their id lookups overlap (see writeRefs)
        Object[] b = batch;
        int n = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (++written > size) {
                break;
            }
            b[n++] = e.getKey();
            b[n++] = e.getValue();
            if (n == b.length) {
                writeRefs(b, 0, n);
                n = 0;
            }
        }
        writeRefs(b, 0, n);
        if (written != size) {
            throw new ConcurrentModificationException("a " + map.getClass().getName() + " changed size while it was saved");
        }
    }

    /** A count of groups (entries: 2 refs each, elements: 1), then the refs. */
    private void writeRefs(Object[] refs, int perItem) throws IOException {
        out.writeVarInt(refs.length / perItem);
        writeRefs(refs, 0, refs.length);
    }

    /**
     * Writes {@code refs[from, to)} in batches, first {@linkplain IdentityIds#touch touching} each
     * batch's id-table slots: in a graph of millions of objects every lookup is a cache miss, and
     * this lets the CPU wait for a batch of them at once instead of one after the other.
     */
    private void writeRefs(Object[] refs, int from, int to) throws IOException {
        for (int i = from; i < to; i += IdentityIds.BATCH) {
            int end = Math.min(to, i + IdentityIds.BATCH);
            ids.touch(refs, i, end);
            for (int j = i; j < end; j++) {
                writeRef(refs[j]);
            }
        }
    }

    private void writeFields(Object o, FieldSlot[] fields) throws IOException {
        for (FieldSlot f : fields) {
            long off = f.offset;
            switch (f.code) {
                case 'I': out.writeInt(UnsafeAccess.getInt(o, off)); break;
                case 'J': out.writeLong(UnsafeAccess.getLong(o, off)); break;
                case 'D': out.writeDouble(UnsafeAccess.getDouble(o, off)); break;
                case 'F': out.writeFloat(UnsafeAccess.getFloat(o, off)); break;
                case 'Z': out.writeBoolean(UnsafeAccess.getBoolean(o, off)); break;
                case 'B': out.writeByte(UnsafeAccess.getByte(o, off)); break;
                case 'C': out.writeChar(UnsafeAccess.getChar(o, off)); break;
                case 'S': out.writeShort(UnsafeAccess.getShort(o, off)); break;
                default: writeRef(UnsafeAccess.getReference(o, off)); break;
            }
        }
    }

    private void writeBoxed(Object o, char code) throws IOException {
        switch (code) {
            case 'I': out.writeInt((Integer) o); break;
            case 'J': out.writeLong((Long) o); break;
            case 'D': out.writeDouble((Double) o); break;
            case 'F': out.writeFloat((Float) o); break;
            case 'Z': out.writeBoolean((Boolean) o); break;
            case 'B': out.writeByte((Byte) o); break;
            case 'C': out.writeChar((Character) o); break;
            case 'S': out.writeShort((Short) o); break;
            default: throw new AssertionError(code);
        }
    }

    private void writePrimitiveArray(Object a, char code) throws IOException {
        int length;
        switch (code) {
            case 'I': length = ((int[]) a).length; break;
            case 'J': length = ((long[]) a).length; break;
            case 'D': length = ((double[]) a).length; break;
            case 'F': length = ((float[]) a).length; break;
            case 'Z': length = ((boolean[]) a).length; break;
            case 'B': length = ((byte[]) a).length; break;
            case 'C': length = ((char[]) a).length; break;
            case 'S': length = ((short[]) a).length; break;
            default: throw new AssertionError(code);
        }
        out.writeVarInt(length);
        int size = Descriptors.size(code);
        out.writeBulk(a, UnsafeAccess.arrayBaseOffset(a.getClass()), (long) length * size, size);
    }

    /**
     * Builds the refusal for {@code o}: what it is, the path from a root, why, and what to do.
     *
     * @param what description of the object, or null for "ClassName"
     */
    private CheckpointRefusedException refuse(Object o, String what, Refusal why) {
        PathFinder.Path found = PathFinder.pathTo(o, roots, rootPaths);
        String path;
        String advice;
        if (found == null) {
            path = "(path unknown: the graph changed while it was saved)";
            advice = "Do not keep it across the checkpoint; " + why.action() + " when Rewind.checkpoint returns null.";
        } else if (found.edges() > 0) {
            path = found.text();
            advice = "Mark the field transient and " + why.action() + " when Rewind.checkpoint returns null.";
        } else {
            path = found.text();
            advice = "Do not keep it in a variable across the checkpoint; " + why.action()
                    + " when Rewind.checkpoint returns null.";
        }
        String name = what != null ? what : RefusalPolicy.isLambda(o.getClass()) ? "a lambda" : o.getClass().getName();
        return new CheckpointRefusedException("cannot save " + name + " at " + path + ": " + why.why() + ". " + advice);
    }
}
