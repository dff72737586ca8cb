package dev.rewind.internal.runtime;

import dev.rewind.RewindException;
import dev.rewind.internal.capture.CapturedFrame;
import dev.rewind.internal.capture.FrameCapture;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Receivers for pending calls whose receiver the JIT had dropped: an instance of a class that
 * dispatches to the same method, or a new lambda over the same implementation method. The callee
 * never uses them: its prologue restores its own saved locals.
 */
final class StandIns {
    private StandIns() {
    }

    static Object create(CapturedFrame f, CapturedFrame next, ClassLoader loader) {
        try {
            if (FrameCapture.LAMBDA_STAND_IN.equals(f.receiverStandIn())) {
                return lambda(f, next, loader);
            }
            return JvmAccess.allocate(Class.forName(f.receiverStandIn(), false, loader));
        } catch (Throwable e) {
            throw new RewindException("cannot rebuild the receiver of the call from " + f.where() + " to "
                + f.callSignature() + ": " + e, e);
        }
    }

    /** A lambda of the call's interface whose implementation is the next saved frame's method. */
    private static Object lambda(CapturedFrame f, CapturedFrame next, ClassLoader loader) throws Throwable {
        String sig = f.callSignature();
        int paren = sig.indexOf('(');
        int dot = sig.lastIndexOf('.', paren);
        Class<?> iface = Class.forName(sig.substring(0, dot).replace('/', '.'), false, loader);
        String name = sig.substring(dot + 1, paren);
        MethodType sam = MethodType.fromMethodDescriptorString(sig.substring(paren), loader);
        Class<?> implClass = Class.forName(next.className(), false, loader);
        Method impl = null;
        for (Method m : implClass.getDeclaredMethods()) {
            if (m.getName().equals(next.methodName())
                    && org.objectweb.asm.Type.getMethodDescriptor(m).equals(next.descriptor())) {
                impl = m;
            }
        }
        if (impl == null) {
            throw new NoSuchMethodException(next.where());
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(implClass, MethodHandles.lookup());
        MethodHandle handle = lookup.unreflect(impl);
        int captured = handle.type().parameterCount() - sam.parameterCount();
        List<Class<?>> capturedTypes = handle.type().parameterList().subList(0, captured);
        Class<?>[] dynamic = new Class<?>[sam.parameterCount()];
        for (int k = 0; k < dynamic.length; k++) {
            Class<?> s = sam.parameterType(k);
            Class<?> t = handle.type().parameterType(captured + k);
            dynamic[k] = s.isPrimitive() ? s : MethodType.methodType(t).wrap().returnType();
        }
        CallSite site = LambdaMetafactory.metafactory(lookup, name, MethodType.methodType(iface, capturedTypes), sam,
            handle, MethodType.methodType(sam.returnType(), dynamic));
        Object[] values = new Object[captured];
        for (int i = 0; i < captured; i++) {
            Class<?> t = capturedTypes.get(i);
            // the default of a primitive type, boxed: what a one-element array of it holds
            values[i] = t.isPrimitive() ? java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(t, 1), 0) : null;
        }
        if (!Modifier.isStatic(impl.getModifiers())) {
            values[0] = JvmAccess.allocate(implClass);
        }
        return site.getTarget().invokeWithArguments(values);
    }
}
