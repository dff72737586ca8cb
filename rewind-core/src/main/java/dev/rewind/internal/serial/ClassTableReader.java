package dev.rewind.internal.serial;

import dev.rewind.CorruptCheckpointException;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * The reader's class table: reads class definitions as they first appear, resolves them in this JVM
 * and checks that each class is still what the writer saw (same kind, same fields), explaining the
 * first difference otherwise, or in lenient mode working out how to read the saved fields into an
 * application class that changed (see {@link Evolution}).
 */
final class ClassTableReader {
    private final InBuffer in;
    private final ClassResolver resolver;
    private final Evolution evolution;
    private final List<ReadClass> classes = new ArrayList<>();

    ClassTableReader(InBuffer in, ClassResolver resolver, Evolution evolution) {
        this.in = in;
        this.resolver = resolver;
        this.evolution = evolution;
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
                ReadClass rc = new ReadClass(kind, c, info);
                rc.evolved = matchFields(c, info.fields, readFieldList());
                return rc;
            }
            case HASH_MAP: {
                Class<?> c = resolve(in.readName("class name"));
                ClassInfo info = expectKind(c, kind);
                int type = in.readUnsignedByte();
                if (type != info.mapType.ordinal()) {
                    throw in.corrupt("class " + c.getName() + " changed since the checkpoint: it no longer extends the "
                            + "same JDK map");
                }
                ReadClass rc = new ReadClass(kind, c, info);
                rc.evolved = matchFields(c, info.fields, readFieldList());
                return rc;
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
        if (!sameFields(info.fields, saved, true)) {
            // captured values are positional: there is nothing to match a changed lambda by
            throw changed(c, info.fields, saved);
        }
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
     * Checks the saved field list of a class whose objects are read field by field.
     *
     * @return null if the class has exactly the saved fields; otherwise, in lenient mode and for an
     *     application class, how to read the saved fields into the class as it is now
     * @throws CorruptCheckpointException if the fields differ and may not be adapted
     */
    private SavedField[] matchFields(Class<?> c, FieldSlot[] current, String[][] saved) {
        if (sameFields(current, saved, false)) {
            return null;
        }
        if (!evolution.lenient || ClassInfo.isJdk(c)) {
            // a JDK class only differs when another JDK wrote the checkpoint: its invariants are not ours to guess
            throw changed(c, current, saved);
        }
        return adapt(c, current, saved);
    }

    /** Lambda fields are compared by position and type only: their names are generated by the JDK. */
    private static boolean sameFields(FieldSlot[] current, String[][] saved, boolean lambda) {
        boolean same = current.length == saved.length;
        for (int i = 0; same && i < current.length; i++) {
            same = current[i].typeName().equals(saved[i][1])
                    && (lambda || (current[i].name.equals(saved[i][0]) && String.valueOf(current[i].depth).equals(saved[i][2])));
        }
        return same;
    }

    /**
     * Explains how the class differs from the saved field list: the first difference, or in
     * {@link Evolution#strictReporting()} all of them (fields gone or retyped in saved order, then
     * fields added in the class's order).
     */
    private CorruptCheckpointException changed(Class<?> c, FieldSlot[] current, String[][] saved) {
        List<String> changes = new ArrayList<>();
        for (String[] s : saved) {
            FieldSlot match = null;
            for (FieldSlot f : current) {
                if (f.name.equals(s[0]) && String.valueOf(f.depth).equals(s[2])) {
                    match = f;
                }
            }
            if (match == null) {
                changes.add("field '" + s[0] + "' (" + Descriptors.pretty(s[1]) + ") is gone");
            } else if (!match.typeName().equals(s[1])) {
                changes.add("field '" + s[0] + "' changed from " + Descriptors.pretty(s[1]) + " to "
                        + Descriptors.pretty(match.typeName()));
            }
        }
        for (FieldSlot f : current) {
            boolean found = false;
            for (String[] s : saved) {
                found |= f.name.equals(s[0]) && String.valueOf(f.depth).equals(s[2]);
            }
            if (!found) {
                changes.add("field '" + f.name + "' (" + Descriptors.pretty(f.typeName()) + ") was added");
            }
        }
        if (changes.isEmpty()) {
            changes.add("its fields are in a different order");
        }
        String change = evolution.listAll ? String.join(", ", changes) : changes.get(0);
        return in.corrupt("class " + c.getName() + " changed since the checkpoint: " + change
                + "; restore with the program version that wrote the checkpoint");
    }

    /**
     * Lenient mode: matches each saved field to the field of the same name and depth and decides
     * what happens to its value, reporting every difference that does not depend on the values.
     * Lines come in saved field order, then the added fields in the class's order, so the report is
     * the same for the same checkpoint.
     *
     * @throws CorruptCheckpointException if a field declared by a JDK superclass differs: only
     *     another JDK writes those differently, and their invariants are not ours to guess
     */
    private SavedField[] adapt(Class<?> c, FieldSlot[] current, String[][] saved) {
        // fields at this depth and above are declared by JDK classes (a JDK class never extends ours)
        int jdkDepth = 0;
        for (Class<?> k = c; k != null && !ClassInfo.isJdk(k); k = k.getSuperclass()) {
            jdkDepth++;
        }
        boolean jdkFieldChanged = false;
        // noted only once the whole class is accepted, so a failed class leaves nothing in the report
        List<String> notes = new ArrayList<>();
        SavedField[] plan = new SavedField[saved.length];
        boolean[] matched = new boolean[current.length];
        for (int i = 0; i < saved.length; i++) {
            String name = saved[i][0];
            String type = saved[i][1];
            int depth = Integer.parseInt(saved[i][2]);
            Class<?> primitive = Descriptors.primitiveNamed(type);
            if (primitive == void.class) {
                throw in.corrupt("field '" + name + "' of class " + c.getName() + " is saved with type void");
            }
            char code = primitive == null ? 'L' : Descriptors.primitiveLetter(primitive);
            int at = -1;
            for (int j = 0; j < current.length; j++) {
                if (current[j].name.equals(name) && current[j].depth == depth) {
                    at = j;
                }
            }
            String field = declaringClass(c, depth) + "." + name;
            if (at < 0) {
                jdkFieldChanged |= depth >= jdkDepth;
                notes.add(field + " (" + Descriptors.pretty(type) + "): saved but no longer in the class, dropped");
                plan[i] = new SavedField(code, null, false, null, null);
                continue;
            }
            if (matched[at]) {
                throw in.corrupt("class " + c.getName() + " is saved with field '" + name + "' twice");
            }
            matched[at] = true;
            FieldSlot f = current[at];
            if (f.typeName().equals(type)) {
                plan[i] = new SavedField(code, f, false, null, null);
                continue;
            }
            jdkFieldChanged |= depth >= jdkDepth;
            String now = field + " (" + Descriptors.pretty(f.typeName()) + "): ";
            String change = "changed from " + Descriptors.pretty(type) + " to " + Descriptors.pretty(f.typeName());
            if (code == 'L' && f.code == 'L') {
                // whether a value fits depends on its class, so these are reported as values are read
                plan[i] = new SavedField(code, f, true, now + change + ", value kept", now + change + ", left at its default");
            } else if (SavedField.widensExactly(code, f.code)) {
                notes.add(now + "widened from " + type + " to " + f.typeName());
                plan[i] = new SavedField(code, f, true, null, null);
            } else {
                notes.add(now + change + ", left at its default");
                plan[i] = new SavedField(code, null, false, null, null);
            }
        }
        for (int j = 0; j < current.length; j++) {
            if (!matched[j]) {
                FieldSlot f = current[j];
                jdkFieldChanged |= f.depth >= jdkDepth;
                notes.add(declaringClass(c, f.depth) + "." + f.name + " (" + Descriptors.pretty(f.typeName())
                        + "): not in the saved state, left at its default");
            }
        }
        if (jdkFieldChanged) {
            throw changed(c, current, saved);
        }
        notes.forEach(evolution::note);
        return plan;
    }

    /**
     * Name of the class at {@code depth} above {@code c}, which declares the fields of that depth, so
     * a field of a superclass is reported once for all its subclasses; {@code c} itself if its
     * hierarchy is no longer that deep.
     */
    private static String declaringClass(Class<?> c, int depth) {
        Class<?> k = c;
        for (int i = 0; i < depth && k != null; i++) {
            k = k.getSuperclass();
        }
        return (k == null ? c : k).getName();
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
