package dev.rewind.internal.serial;

import java.io.Serializable;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * How to re-create the class of a serializable lambda in another JVM: the components of its
 * {@link SerializedLambda} (without the captured values, which are saved as the lambda's fields),
 * plus its extra marker interfaces and bridge methods, which SerializedLambda does not record.
 *
 * <p>Reading does not need the capturing class's {@code $deserializeLambda$}: the implementation
 * method is looked up by kind and {@link LambdaMetafactory#altMetafactory} spins a new lambda class.
 * Instances are then made by calling its factory with placeholder captured values (null, 0), which the
 * reader overwrites with the saved ones, so a lambda can be allocated before its captured objects are
 * read, like any other object in a cycle.
 */
final class LambdaShape {
    final String capturingClass;
    final String functionalInterfaceClass;
    final String functionalInterfaceMethodName;
    final String functionalInterfaceMethodSignature;
    final int implMethodKind;
    final String implClass;
    final String implMethodName;
    final String implMethodSignature;
    final String instantiatedMethodType;
    final String[] markerInterfaces;
    final String[] bridgeSignatures;

    LambdaShape(String capturingClass, String functionalInterfaceClass, String functionalInterfaceMethodName,
                String functionalInterfaceMethodSignature, int implMethodKind, String implClass, String implMethodName,
                String implMethodSignature, String instantiatedMethodType, String[] markerInterfaces,
                String[] bridgeSignatures) {
        this.capturingClass = capturingClass;
        this.functionalInterfaceClass = functionalInterfaceClass;
        this.functionalInterfaceMethodName = functionalInterfaceMethodName;
        this.functionalInterfaceMethodSignature = functionalInterfaceMethodSignature;
        this.implMethodKind = implMethodKind;
        this.implClass = implClass;
        this.implMethodName = implMethodName;
        this.implMethodSignature = implMethodSignature;
        this.instantiatedMethodType = instantiatedMethodType;
        this.markerInterfaces = markerInterfaces;
        this.bridgeSignatures = bridgeSignatures;
    }

    /** Writer side: asks the lambda for its SerializedLambda through its private writeReplace method. */
    static LambdaShape of(Object lambda) throws ReflectiveOperationException {
        Class<?> c = lambda.getClass();
        Method writeReplace = c.getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        Object replaced = writeReplace.invoke(lambda);
        if (!(replaced instanceof SerializedLambda)) {
            throw new NoSuchMethodException(c.getName() + ".writeReplace() did not return a SerializedLambda");
        }
        SerializedLambda sl = (SerializedLambda) replaced;
        String fi = sl.getFunctionalInterfaceClass().replace('/', '.');
        List<String> markers = new ArrayList<>();
        for (Class<?> i : c.getInterfaces()) {
            if (!i.getName().equals(fi) && i != Serializable.class) {
                markers.add(i.getName());
            }
        }
        List<String> bridges = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            String desc = Descriptors.methodDescriptor(m);
            if (m.getName().equals(sl.getFunctionalInterfaceMethodName())
                    && !desc.equals(sl.getFunctionalInterfaceMethodSignature())) {
                bridges.add(desc);
            }
        }
        return new LambdaShape(sl.getCapturingClass().replace('/', '.'), fi, sl.getFunctionalInterfaceMethodName(),
                sl.getFunctionalInterfaceMethodSignature(), sl.getImplMethodKind(), sl.getImplClass().replace('/', '.'),
                sl.getImplMethodName(), sl.getImplMethodSignature(), sl.getInstantiatedMethodType(),
                markers.toArray(new String[0]), bridges.toArray(new String[0]));
    }

    /** Reader side: a lambda class made in this JVM, and how to make instances of it. */
    static final class Factory {
        private final MethodHandle factory;
        private final Object[] placeholders;

        Factory(MethodHandle factory, Object[] placeholders) {
            this.factory = factory;
            this.placeholders = placeholders;
        }

        /** A new instance whose captured fields hold placeholders until the reader fills them. */
        Object newInstance() throws Throwable {
            return factory.invokeWithArguments(placeholders);
        }
    }

    /**
     * Spins the lambda class in this JVM.
     *
     * @param capturedTypes binary names of the captured values' types, in order (the saved fields)
     */
    Factory materialize(String[] capturedTypes, ClassResolver resolver) throws Throwable {
        Class<?> capturing = resolver.resolve(capturingClass);
        Class<?> fi = resolver.resolve(functionalInterfaceClass);
        Class<?> impl = resolver.resolve(implClass);
        MethodHandles.Lookup caller = fullPrivilegeLookup(capturing);
        MethodType implType = Descriptors.methodType(implMethodSignature, resolver);
        MethodHandle implHandle = findImpl(caller, impl, implType);
        Class<?>[] captured = new Class<?>[capturedTypes.length];
        Object[] placeholders = new Object[captured.length];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = Descriptors.resolve(capturedTypes[i], resolver);
            placeholders[i] = placeholder(captured[i]);
        }
        List<Object> args = new ArrayList<>();
        args.add(Descriptors.methodType(functionalInterfaceMethodSignature, resolver));
        args.add(implHandle);
        args.add(Descriptors.methodType(instantiatedMethodType, resolver));
        int flags = LambdaMetafactory.FLAG_SERIALIZABLE;
        if (markerInterfaces.length > 0) {
            flags |= LambdaMetafactory.FLAG_MARKERS;
        }
        if (bridgeSignatures.length > 0) {
            flags |= LambdaMetafactory.FLAG_BRIDGES;
        }
        args.add(flags);
        if (markerInterfaces.length > 0) {
            args.add(markerInterfaces.length);
            for (String m : markerInterfaces) {
                args.add(resolver.resolve(m));
            }
        }
        if (bridgeSignatures.length > 0) {
            args.add(bridgeSignatures.length);
            for (String b : bridgeSignatures) {
                args.add(Descriptors.methodType(b, resolver));
            }
        }
        CallSite site = LambdaMetafactory.altMetafactory(caller, functionalInterfaceMethodName,
                MethodType.methodType(fi, captured), args.toArray());
        return new Factory(site.getTarget(), placeholders);
    }

    private MethodHandle findImpl(MethodHandles.Lookup caller, Class<?> impl, MethodType type)
            throws ReflectiveOperationException {
        switch (implMethodKind) {
            case MethodHandleInfo.REF_invokeStatic:
                return caller.findStatic(impl, implMethodName, type);
            case MethodHandleInfo.REF_invokeVirtual:
            case MethodHandleInfo.REF_invokeInterface:
                return caller.findVirtual(impl, implMethodName, type);
            case MethodHandleInfo.REF_invokeSpecial:
                if (impl == caller.lookupClass()) {
                    return caller.findSpecial(impl, implMethodName, type, impl);
                }
                return caller.findVirtual(impl, implMethodName, type);
            case MethodHandleInfo.REF_newInvokeSpecial:
                return caller.findConstructor(impl, type);
            default:
                throw new IllegalArgumentException("unknown implementation method kind " + implMethodKind);
        }
    }

    /**
     * The metafactory insists on a lookup with full privileges in the capturing class. For application
     * classes in our own (unnamed) module privateLookupIn gives that; for JDK classes such as
     * java.util.Comparator it does not, and the JDK's own trusted lookup is used, which needs
     * java.lang.invoke opened (the Rewind agent opens java.base).
     */
    private static MethodHandles.Lookup fullPrivilegeLookup(Class<?> capturing) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(capturing, MethodHandles.lookup());
        if (lookup.hasFullPrivilegeAccess()) {
            return lookup;
        }
        Field trusted = MethodHandles.Lookup.class.getDeclaredField("IMPL_LOOKUP");
        trusted.setAccessible(true);
        return ((MethodHandles.Lookup) trusted.get(null)).in(capturing);
    }

    private static Object placeholder(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) return false;
        if (type == char.class) return (char) 0;
        if (type == byte.class) return (byte) 0;
        if (type == short.class) return (short) 0;
        if (type == int.class) return 0;
        if (type == long.class) return 0L;
        if (type == float.class) return 0f;
        return 0d;
    }
}
