package dev.rewind.internal.steps;

import dev.rewind.RewindException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeMap;
import org.objectweb.asm.Type;

/**
 * Finds where a step body's code starts.
 *
 * <p>A lambda or method reference is an instance of a hidden class with no class file; its code
 * lives in the implementation method javac generated (or the referenced method), which only the
 * lambda's {@link SerializedLambda} names. Serializable lambdas hand one out from their private
 * {@code writeReplace} method. Lambdas the step body captures are entered the same way, because
 * they are code the body runs, not data.
 *
 * <p>Any other object is an instance of an ordinary class: every method the class declares is an
 * entry, plus the implementation of each abstract method of its interfaces (which may be
 * inherited from a superclass).
 */
final class StepBodies {
    private StepBodies() {
    }

    /** Gives the walker the entry points of a step body. */
    static void enter(Object body, CodeWalker walker) {
        enter(body, walker, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void enter(Object body, CodeWalker walker, Set<Object> entered) {
        if (!entered.add(body)) {
            return;
        }
        Class<?> c = body.getClass();
        if (!c.isHidden()) {
            walker.classEntry(c);
            for (String method : functionalMethods(c)) {
                int paren = method.indexOf('(');
                walker.follow(c.getClassLoader(), ClassIndex.internalName(c), method.substring(0, paren), method.substring(paren));
            }
            return;
        }
        SerializedLambda lambda = serializedLambda(body, c);
        walker.lambdaEntry(c.getClassLoader(), lambda.getImplMethodKind(), lambda.getImplClass(),
            lambda.getImplMethodName(), lambda.getImplMethodSignature());
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object arg = lambda.getCapturedArg(i);
            if (arg == null || !arg.getClass().isHidden()) {
                continue; // data: what the step reads is the pipeline's inputs, not its code
            }
            if (writeReplace(arg.getClass()) != null) {
                enter(arg, walker, entered);
            } else {
                // a hidden class's name changes from run to run, so only the fact goes into the hash
                walker.note("captured non-serializable lambda #" + i, "captured " + arg.getClass().getName()
                    + " (a lambda that is not Serializable: its code is not in the fingerprint)");
            }
        }
    }

    /**
     * @return name+descriptor of every abstract method of the class's interfaces except those
     *     {@link Object} implements, sorted: reflection returns methods in no particular order
     */
    private static Iterable<String> functionalMethods(Class<?> c) {
        TreeMap<String, Method> methods = new TreeMap<>();
        ArrayDeque<Class<?>> types = new ArrayDeque<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            types.addAll(java.util.List.of(k.getInterfaces()));
        }
        while (!types.isEmpty()) {
            for (Method m : types.poll().getMethods()) {
                if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m)) {
                    methods.put(m.getName() + Type.getMethodDescriptor(m), m);
                }
            }
        }
        return methods.keySet();
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static SerializedLambda serializedLambda(Object lambda, Class<?> c) {
        Method writeReplace = writeReplace(c);
        if (writeReplace == null) {
            throw new RewindException("Cannot fingerprint the step body " + c.getName() + ": it is a lambda whose "
                + "functional interface is not java.io.Serializable, so nothing names the method holding its code. "
                + "Declare the step with an interface that extends Serializable (Pipeline's step interfaces do), "
                + "or pass an instance of a named or anonymous class.");
        }
        try {
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(lambda);
            if (replaced instanceof SerializedLambda s) {
                return s;
            }
            throw new RewindException("Cannot fingerprint the step body " + c.getName() + ": it is a hidden class "
                + "that is not a lambda (writeReplace returned " + (replaced == null ? "null" : replaced.getClass().getName())
                + "). Pass a lambda, a method reference or an instance of an ordinary class.");
        } catch (RuntimeException e) {
            if (e instanceof RewindException) {
                throw e;
            }
            // InaccessibleObjectException (Java 9+): the lambda's module does not open its package
            String pkg = c.getPackageName();
            String module = c.getModule().isNamed() ? c.getModule().getName() : "ALL-UNNAMED";
            throw new RewindException("Cannot read the step lambda " + c.getName() + " to fingerprint its code: "
                + e.getMessage() + ". Open its package to Rewind: --add-opens " + module + "/" + pkg + "=ALL-UNNAMED", e);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new RewindException("Cannot read the step lambda " + c.getName() + " to fingerprint its code: " + e, e);
        }
    }

    private static Method writeReplace(Class<?> c) {
        try {
            return c.getDeclaredMethod("writeReplace");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
