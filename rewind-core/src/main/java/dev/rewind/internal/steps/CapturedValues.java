package dev.rewind.internal.steps;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The data a step body carries: the values a lambda captured (and, for captured serializable
 * lambdas, theirs), or the object itself for an instance of an ordinary class (its fields). Their
 * code is {@link CodeFingerprint}'s business; their values are inputs of the step.
 */
final class CapturedValues {
    private CapturedValues() {
    }

    /** @return the captured values, in capture order; nulls are left out */
    static List<Object> of(Object body) {
        List<Object> out = new ArrayList<>();
        collect(body, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collect(Object body, List<Object> out, Set<Object> seen) {
        if (!seen.add(body)) {
            return;
        }
        Class<?> c = body.getClass();
        if (!c.isHidden()) {
            out.add(body);
            return;
        }
        SerializedLambda lambda = serializedLambda(body);
        if (lambda == null) {
            return; // a non-serializable lambda: CodeFingerprint refuses it as a step body, notes it when captured
        }
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object arg = lambda.getCapturedArg(i);
            if (arg == null) {
                continue;
            }
            if (arg.getClass().isHidden()) {
                collect(arg, out, seen); // a captured lambda is code; what it captured is data
            } else {
                out.add(arg);
            }
        }
    }

    private static SerializedLambda serializedLambda(Object lambda) {
        try {
            Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object r = writeReplace.invoke(lambda);
            return r instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // CodeFingerprint has already said why such a body cannot be used
        }
    }
}
