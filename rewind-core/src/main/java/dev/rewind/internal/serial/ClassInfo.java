package dev.rewind.internal.serial;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Everything the writer and the reader need to know about one class, computed once and cached in a
 * {@link ClassValue}: its {@link Kind}, the fields to save in stream order with their offsets, and
 * for refused classes the reason. Both sides classify with this same code, so the reader can verify
 * that a resolved class is still what the writer saw.
 */
final class ClassInfo {
    private static final ClassValue<ClassInfo> CACHE = new ClassValue<>() {
        @Override
        protected ClassInfo computeValue(Class<?> type) {
            return new ClassInfo(type);
        }
    };
    private static final FieldSlot[] NO_FIELDS = {};

    final Class<?> type;
    final Kind kind;
    /** Saved fields in stream order (PLAIN, LAMBDA; for HASH_MAP and REFERENCE only the subclass part). */
    final FieldSlot[] fields;
    /** Element code for PRIMITIVE_ARRAY, value code for BOXED; 0 otherwise. */
    final char code;
    /** For ENUM: the enum class that declares the constants (constant bodies are anonymous subclasses). */
    final Class<?> enumClass;
    /** For HASH_MAP: which JDK map implementation holds the entries. */
    final HashedCollections.MapType mapType;
    /** For REFUSED: why and what to do. */
    final Refusal refusal;
    /** Whether an instance could be in {@link JdkSingletons}: only then the writer looks it up. */
    final boolean singletonCandidate;
    /** For LAMBDA, writer side: how to re-create the class, filled from the first instance written. */
    volatile LambdaShape lambdaShape;

    private ClassInfo(Class<?> c) {
        this.type = c;
        this.singletonCandidate = JdkSingletons.isCandidate(c);
        Kind kind;
        FieldSlot[] fields = NO_FIELDS;
        char code = 0;
        Class<?> enumClass = null;
        HashedCollections.MapType mapType = null;
        Refusal refusal = null;
        if (c.isArray()) {
            Class<?> component = c.getComponentType();
            if (component.isPrimitive()) {
                kind = Kind.PRIMITIVE_ARRAY;
                code = Descriptors.primitiveLetter(component);
            } else {
                Class<?> leaf = component;
                while (leaf.isArray()) {
                    leaf = leaf.getComponentType();
                }
                refusal = leaf.isHidden() ? new Refusal("arrays of hidden classes cannot be found by name in another JVM",
                        "re-create it") : null;
                kind = refusal == null ? Kind.OBJECT_ARRAY : Kind.REFUSED;
            }
        } else if (c == String.class) {
            kind = Kind.STRING;
        } else if (boxedCode(c) != 0) {
            kind = Kind.BOXED;
            code = boxedCode(c);
        } else if (Enum.class.isAssignableFrom(c) && c != Enum.class) {
            kind = Kind.ENUM;
            enumClass = c.isEnum() ? c : c.getSuperclass();
            // an application enum's constants may carry mutable state: saved and written back into
            // the constant of the same name (JDK enums are immutable)
            fields = isJdk(c) ? NO_FIELDS : layout(c, Enum.class);
        } else if (c == Class.class) {
            kind = Kind.CLASS;
        } else if ((refusal = RefusalPolicy.check(c)) != null) {
            kind = Kind.REFUSED;
        } else if (RefusalPolicy.isSerializableLambda(c)) {
            kind = Kind.LAMBDA;
            fields = lambdaFields(c);
        } else if (Reference.class.isAssignableFrom(c)) {
            kind = Kind.REFERENCE;
            fields = layout(c, Reference.class);
        } else if ((mapType = HashedCollections.MapType.of(c)) != null) {
            kind = Kind.HASH_MAP;
            fields = layout(c, mapType.base);
        } else if (c == HashedCollections.SET_N) {
            kind = Kind.IMMUTABLE_SET;
        } else if (c == HashedCollections.MAP_N) {
            kind = Kind.IMMUTABLE_MAP;
        } else {
            kind = Kind.PLAIN;
            fields = layout(c, null);
        }
        this.kind = kind;
        this.fields = fields;
        this.code = code;
        this.enumClass = enumClass;
        this.mapType = mapType;
        this.refusal = refusal;
    }

    static ClassInfo of(Class<?> c) {
        return CACHE.get(c);
    }

    /** JDK classes are copied field-exact; the rest follow Java serialization's transient rule. */
    static boolean isJdk(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        return l == null || l == ClassLoader.getPlatformClassLoader();
    }

    private static char boxedCode(Class<?> c) {
        if (c == Integer.class) return 'I';
        if (c == Long.class) return 'J';
        if (c == Double.class) return 'D';
        if (c == Float.class) return 'F';
        if (c == Boolean.class) return 'Z';
        if (c == Byte.class) return 'B';
        if (c == Character.class) return 'C';
        if (c == Short.class) return 'S';
        return 0;
    }

    /**
     * Instance fields of {@code c} and its superclasses below {@code stop} (exclusive; null means all),
     * superclass fields first and each class's fields by name, so the order does not depend on
     * reflection's unspecified ordering. Transient fields are skipped only where the declaring class
     * is an application class: JDK classes keep hidden state such as ArrayList's modCount in them.
     */
    static FieldSlot[] layout(Class<?> c, Class<?> stop) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> k = c; k != null && k != stop; k = k.getSuperclass()) {
            chain.add(k);
        }
        List<FieldSlot> slots = new ArrayList<>();
        for (int depth = chain.size() - 1; depth >= 0; depth--) {
            Class<?> k = chain.get(depth);
            boolean keepTransient = isJdk(k);
            Field[] declared = k.getDeclaredFields();
            Arrays.sort(declared, Comparator.comparing(Field::getName));
            for (Field f : declared) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || (Modifier.isTransient(m) && !keepTransient)) {
                    continue;
                }
                slots.add(new FieldSlot(f, depth));
            }
        }
        return slots.toArray(NO_FIELDS);
    }

    /** Captured values of a lambda class, ordered arg$1, arg$2, ..., arg$10 (shorter names first). */
    private static FieldSlot[] lambdaFields(Class<?> c) {
        Field[] declared = c.getDeclaredFields();
        Arrays.sort(declared, Comparator.comparingInt((Field f) -> f.getName().length()).thenComparing(Field::getName));
        List<FieldSlot> slots = new ArrayList<>();
        for (Field f : declared) {
            if (!Modifier.isStatic(f.getModifiers())) {
                slots.add(new FieldSlot(f, 0));
            }
        }
        return slots.toArray(NO_FIELDS);
    }
}
