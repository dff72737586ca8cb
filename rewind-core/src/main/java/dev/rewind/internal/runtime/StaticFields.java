package dev.rewind.internal.runtime;

import dev.rewind.RewindException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The program's globals: the static fields of initialised application classes. Enum constants
 * and assertion flags are left alone (they are rebuilt by the class initialiser); everything else
 * is saved with the frames, in one graph, so that identity is shared between them.
 */
final class StaticFields {
    /** One saved static field. */
    record Value(Field field, Object value) {
        String path() {
            return "static " + field.getDeclaringClass().getName() + "." + field.getName();
        }
    }

    private StaticFields() {
    }

    /**
     * @param initialized the application classes whose static initialiser has run: on resume
     *     their initialisers are skipped, since the saved statics are their state
     * @param values the saved static fields
     */
    record Globals(List<Class<?>> initialized, List<Value> values) {
    }

    static Globals capture(Instrumentation inst) {
        List<Value> out = new ArrayList<>();
        List<Class<?>> initialized = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!isApplicationClass(c) || !JvmAccess.isInitialized(c)) {
                continue;
            }
            initialized.add(c);
            Field[] fields;
            try {
                fields = c.getDeclaredFields();
            } catch (Throwable e) { // a field type that cannot be loaded any more
                continue;
            }
            for (Field f : fields) {
                if (!saved(f)) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    out.add(new Value(f, f.get(null)));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new RewindException("cannot read static field " + c.getName() + "." + f.getName() + ": " + e,
                        e);
                }
            }
        }
        return new Globals(initialized, out);
    }

    static boolean isApplicationClass(Class<?> c) {
        return dev.rewind.internal.capture.ClassOrigin.isApplication(c);
    }

    private static boolean saved(Field f) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) || f.isEnumConstant()) {
            return false;
        }
        String name = f.getName();
        // compile-time constants are written back too: harmless, and reflection cannot tell them apart
        // from static finals computed at run time (a start time, a seed), whose saved value matters
        return !(name.equals("$assertionsDisabled") || (f.isSynthetic() && name.equals("$VALUES")));
    }

    /** Initialises the field's class, then writes the saved value over what its initialiser set. */
    static void restore(Field f, Object value) {
        JvmAccess.putStatic(f, value);
    }
}
