package dev.rewind.internal.serial;

import dev.rewind.CorruptCheckpointException;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * The reader's class table: reads class definitions as they first appear, resolves them in this JVM
 * and checks that each class is still what the writer saw (same kind, same fields), explaining the
 * first difference otherwise.
 */
final class ClassTableReader {
    private final InBuffer in;
    private final ClassResolver resolver;
    private final List<ReadClass> classes = new ArrayList<>();

    ClassTableReader(InBuffer in, ClassResolver resolver) {
        this.in = in;
        this.resolver = resolver;
    }

    /** Reads a class index, and the class's definition if this is its first use. */
    ReadClass readClassRef() throws IOException {
        int index = in.readVarInt();
        if (index < classes.size()) {
            return classes.get(index);
        }
        if (index > classes.size()) {
            throw in.corrupt("reference to class #" + index + ", but only " + classes.size() + " classes are defined");
        }
        ReadClass rc = readClassDefinition();
        classes.add(rc);
        return rc;
    }

    private ReadClass readClassDefinition() throws IOException {
        int tag = in.readUnsignedByte();
        Kind kind = Kind.ofTag(tag);
        if (kind == null) {
            throw in.corrupt(String.format("unknown class kind tag 0x%02X", tag));
        }
        switch (kind) {
            case PLAIN:
            case REFERENCE: {
                Class<?> c = resolve(in.readName("class name"));
                ClassInfo info = expectKind(c, kind);
                checkFields(c, info.fields, readFieldList(), false);
                return new ReadClass(kind, c, info);
            }
            case HASH_MAP: {
                Class<?> c = resolve(in.readName("class name"));
                ClassInfo info = expectKind(c, kind);
                int type = in.readUnsignedByte();
                if (type != info.mapType.ordinal()) {
                    throw in.corrupt("class " + c.getName() + " changed since the checkpoint: it no longer extends the "
                            + "same JDK map");
                }
                checkFields(c, info.fields, readFieldList(), false);
                return new ReadClass(kind, c, info);
            }
            case OBJECT_ARRAY: {
                Class<?> c = resolve(in.readName("array class name"));
                return new ReadClass(kind, c, expectKind(c, kind));
            }
            case ENUM: {
                Class<?> c = resolve(in.readName("enum class name"));
                if (!c.isEnum()) {
                    throw in.corrupt("class " + c.getName() + " changed since the checkpoint: it is no longer an enum");
                }
                return new ReadClass(kind, c, ClassInfo.of(c));
            }
            case PRIMITIVE_ARRAY:
            case BOXED: {
                char code = (char) in.readUnsignedByte();
                Class<?> p = Descriptors.primitiveOf(code);
                if (p == null || p == void.class) {
                    throw in.corrupt("unknown primitive type code 0x" + Integer.toHexString(code));
                }
                Class<?> c = kind == Kind.BOXED ? Array.get(Array.newInstance(p, 1), 0).getClass() : p.arrayType();
                return new ReadClass(kind, c, ClassInfo.of(c));
            }
            case STRING:
                return new ReadClass(kind, String.class, ClassInfo.of(String.class));
            case CLASS:
                return new ReadClass(kind, Class.class, ClassInfo.of(Class.class));
            case IMMUTABLE_SET:
                return new ReadClass(kind, HashedCollections.SET_N, ClassInfo.of(HashedCollections.SET_N));
            case IMMUTABLE_MAP:
                return new ReadClass(kind, HashedCollections.MAP_N, ClassInfo.of(HashedCollections.MAP_N));
            case SINGLETON: {
                String name = in.readName("singleton name");
                Object instance = JdkSingletons.byName(name);
                if (instance == null) {
                    throw in.corrupt("unknown JDK singleton '" + name + "'");
                }
                ReadClass rc = new ReadClass(kind, instance.getClass(), null);
                rc.singleton = instance;
                return rc;
            }
            case LAMBDA:
                return readLambdaClass();
            default:
                throw in.corrupt(String.format("unknown class kind tag 0x%02X", tag));
        }
    }

    private ReadClass readLambdaClass() throws IOException {
        String capturing = in.readName("lambda capturing class");
        String fi = in.readName("lambda interface");
        String fiMethod = in.readName("lambda method name");
        String fiSignature = in.readName("lambda method signature");
        int implKind = in.readVarInt();
        String implClass = in.readName("lambda implementation class");
        String implMethod = in.readName("lambda implementation method");
        String implSignature = in.readName("lambda implementation signature");
        String instantiated = in.readName("lambda instantiated type");
        String[] markers = readNames("lambda marker interface");
        String[] bridges = readNames("lambda bridge signature");
        String[][] saved = readFieldList();
        LambdaShape shape = new LambdaShape(capturing, fi, fiMethod, fiSignature, implKind, implClass, implMethod,
                implSignature, instantiated, markers, bridges);
        String[] capturedTypes = new String[saved.length];
        for (int i = 0; i < saved.length; i++) {
            capturedTypes[i] = saved[i][1];
        }
        String what = "lambda implementing " + fi + " (" + implClass + "." + implMethod + ")";
        LambdaShape.Factory factory;
        Class<?> c;
        try {
            factory = shape.materialize(capturedTypes, resolver);
            c = factory.newInstance().getClass();
        } catch (ClassNotFoundException e) {
            throw classNotFound(e.getMessage());
        } catch (Throwable t) {
            throw new CorruptCheckpointException("cannot re-create the " + what + " saved in the checkpoint: " + t, t);
        }
        ClassInfo info = expectKind(c, Kind.LAMBDA);
        checkFields(c, info.fields, saved, true);
        ReadClass rc = new ReadClass(Kind.LAMBDA, c, info);
        rc.lambdaFactory = factory;
        return rc;
    }

    private String[] readNames(String what) throws IOException {
        int n = in.readVarInt();
        in.confirm(n, what + "s");
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = in.readName(what);
        }
        return names;
    }

    /** @return saved fields as {name, type name, depth} */
    private String[][] readFieldList() throws IOException {
        int n = in.readVarInt();
        in.confirm(n * 3L, "field list");
        String[][] fields = new String[n][];
        for (int i = 0; i < n; i++) {
            fields[i] = new String[] {in.readName("field name"), in.readName("field type"), String.valueOf(in.readVarInt())};
        }
        return fields;
    }

    /**
     * Compares the saved field list with the class of this JVM and explains the first difference.
     * Lambda fields are compared by position and type only: their names are generated by the JDK.
     */
    private void checkFields(Class<?> c, FieldSlot[] current, String[][] saved, boolean lambda) {
        boolean same = current.length == saved.length;
        for (int i = 0; same && i < current.length; i++) {
            same = current[i].typeName().equals(saved[i][1])
                    && (lambda || (current[i].name.equals(saved[i][0]) && String.valueOf(current[i].depth).equals(saved[i][2])));
        }
        if (same) {
            return;
        }
        String change = null;
        for (String[] s : saved) {
            FieldSlot match = null;
            for (FieldSlot f : current) {
                if (f.name.equals(s[0]) && String.valueOf(f.depth).equals(s[2])) {
                    match = f;
                }
            }
            if (match == null) {
                change = "field '" + s[0] + "' (" + Descriptors.pretty(s[1]) + ") is gone";
                break;
            }
            if (!match.typeName().equals(s[1])) {
                change = "field '" + s[0] + "' changed from " + Descriptors.pretty(s[1]) + " to "
                        + Descriptors.pretty(match.typeName());
                break;
            }
        }
        if (change == null) {
            for (FieldSlot f : current) {
                boolean found = false;
                for (String[] s : saved) {
                    found |= f.name.equals(s[0]) && String.valueOf(f.depth).equals(s[2]);
                }
                if (!found) {
                    change = "field '" + f.name + "' (" + Descriptors.pretty(f.typeName()) + ") was added";
                    break;
                }
            }
        }
        if (change == null) {
            change = "its fields are in a different order";
        }
        throw in.corrupt("class " + c.getName() + " changed since the checkpoint: " + change
                + "; restore with the program version that wrote the checkpoint");
    }

    private ClassInfo expectKind(Class<?> c, Kind kind) {
        ClassInfo info = ClassInfo.of(c);
        if (info.kind == kind) {
            return info;
        }
        if (info.kind == Kind.REFUSED) {
            throw in.corrupt("the checkpoint contains an object of class " + c.getName()
                    + ", which Rewind never saves: " + info.refusal.why());
        }
        throw in.corrupt("class " + c.getName() + " changed since the checkpoint: it was saved as "
                + kind.name().toLowerCase().replace('_', ' ') + " but is now " + info.kind.name().toLowerCase().replace('_', ' '));
    }

    Class<?> resolve(String name) {
        try {
            return Descriptors.resolve(name, resolver);
        } catch (ClassNotFoundException e) {
            throw classNotFound(name);
        } catch (LinkageError e) {
            throw new CorruptCheckpointException("class " + name + " cannot be loaded: " + e, e);
        }
    }

    private CorruptCheckpointException classNotFound(String name) {
        return new CorruptCheckpointException("class " + name
                + " not found: the checkpoint needs the program's classes on the class path");
    }
}
