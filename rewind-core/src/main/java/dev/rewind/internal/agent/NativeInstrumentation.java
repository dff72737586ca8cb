package dev.rewind.internal.agent;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;

/**
 * The parts of {@link Instrumentation} Rewind uses, served by its native agent when that agent
 * started Rewind ({@code -agentpath:librewind-jvmti.so=start=...}, what {@code rewind run} passes)
 * instead of {@code -javaagent}. A JVM started that way does not resolve java.instrument's agent
 * machinery, which costs ~40 ms of start-up and CDS's archived module graph.
 *
 * <p>The native class-file hook makes lambdas serializable by itself (lambda_patch.c). Rewind's
 * Java transformers are handed classes only from the first {@link #retransformClasses} on, which a
 * program that is not resumed and never jumps does not reach: until then no Java code runs per
 * loaded class. The natives are bound by HotSpot's lookup in JVMTI agent libraries.
 */
public final class NativeInstrumentation implements Instrumentation {
    private static final NativeInstrumentation INSTANCE = new NativeInstrumentation();
    private static final List<ClassFileTransformer> TRANSFORMERS = new CopyOnWriteArrayList<>();

    private NativeInstrumentation() {
    }

    /** @return the instance, when the native agent started Rewind; null otherwise */
    public static NativeInstrumentation get() {
        try {
            return started0() ? INSTANCE : null;
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    private static native boolean started0();

    private static native Class<?>[] loadedClasses0();

    private static native Class<?>[] jdkLambdaCandidates0();

    private static native int retransform0(Class<?>[] classes);

    private static native boolean modifiable0(Class<?> c);

    private static native int addAccess0(Module module, String pkg, Module to, boolean open);

    private static native int appendToBootstrap0(String path);

    private static native void transforming0();

    /**
     * The native lambda patch, for tests.
     *
     * @return the patched class file, or null when there is nothing to patch
     * @throws IllegalArgumentException when the class file is malformed
     */
    static native byte[] patchLambdas0(byte[] classFile);

    /**
     * Called by the native hook for each class loaded or retransformed once Java transforms, with the
     * class file as the JVM has it. Rewind's transformer makes the lambdas serializable itself when it
     * changes a class; when it returns null the native hook does.
     */
    static byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
            byte[] bytes) {
        byte[] current = null;
        Module module = redefined != null ? redefined.getModule() : null;
        for (ClassFileTransformer t : TRANSFORMERS) {
            try {
                byte[] out = t.transform(module, loader, name, redefined, domain, current != null ? current : bytes);
                if (out != null) {
                    current = out;
                }
            } catch (Throwable e) {
                System.err.println("[rewind] warning: left class " + name + " unchanged: " + e);
            }
        }
        return current;
    }

    /**
     * @return the loaded classes of the boot loader whose lambdas the native hook makes serializable
     *     (its name filter, the same as {@link dev.rewind.internal.restore.RestoreTransformer#makesJdkLambdasSerializable}),
     *     listed and filtered in native code: faster at start-up than filtering {@link #getAllLoadedClasses()}
     */
    public Class<?>[] jdkLambdaCandidates() {
        Class<?>[] c = jdkLambdaCandidates0();
        if (c == null) {
            throw new IllegalStateException("the native agent cannot list the loaded classes");
        }
        return c;
    }

    /**
     * Retransforms classes with the native lambda patch only, without handing them to Java
     * transformers (the JDK classes that were loaded before the hook could see them).
     */
    public void retransformLambdasOnly(Class<?>... classes) throws UnmodifiableClassException {
        check(retransform0(classes), classes);
    }

    @Override
    public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
        TRANSFORMERS.add(transformer);
    }

    @Override
    public void addTransformer(ClassFileTransformer transformer) {
        addTransformer(transformer, false);
    }

    @Override
    public boolean removeTransformer(ClassFileTransformer transformer) {
        return TRANSFORMERS.remove(transformer);
    }

    @Override
    public boolean isRetransformClassesSupported() {
        return true;
    }

    @Override
    public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
        if (!TRANSFORMERS.isEmpty()) {
            transforming0();
        }
        check(retransform0(classes), classes);
    }

    private static void check(int error, Class<?>[] classes) throws UnmodifiableClassException {
        if (error == 0) {
            return;
        }
        // JVMTI_ERROR_UNMODIFIABLE_CLASS is 79
        String what = "JVMTI error " + error + " retransforming " + List.of(classes);
        if (error == 79) {
            throw new UnmodifiableClassException(what);
        }
        throw new IllegalStateException(what);
    }

    @Override
    public boolean isRedefineClassesSupported() {
        return false;
    }

    @Override
    public void redefineClasses(ClassDefinition... definitions) {
        throw new UnsupportedOperationException("Rewind's native agent does not redefine classes");
    }

    @Override
    public boolean isModifiableClass(Class<?> theClass) {
        return modifiable0(theClass);
    }

    @Override
    public Class<?>[] getAllLoadedClasses() {
        Class<?>[] all = loadedClasses0();
        if (all == null) {
            throw new IllegalStateException("the native agent cannot list the loaded classes");
        }
        return all;
    }

    @Override
    public Class<?>[] getInitiatedClasses(ClassLoader loader) {
        throw new UnsupportedOperationException("Rewind's native agent does not list initiated classes");
    }

    @Override
    public long getObjectSize(Object objectToSize) {
        throw new UnsupportedOperationException("Rewind's native agent does not size objects");
    }

    @Override
    public void appendToBootstrapClassLoaderSearch(JarFile jarfile) {
        int error = appendToBootstrap0(jarfile.getName());
        if (error != 0) {
            throw new IllegalArgumentException("JVMTI error " + error + " adding " + jarfile.getName()
                + " to the boot class path");
        }
    }

    @Override
    public void appendToSystemClassLoaderSearch(JarFile jarfile) {
        throw new UnsupportedOperationException("Rewind's native agent does not extend the class path");
    }

    @Override
    public boolean isNativeMethodPrefixSupported() {
        return false;
    }

    @Override
    public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
        throw new UnsupportedOperationException("Rewind's native agent does not set native method prefixes");
    }

    /** Only adds exports and opens, which is all Rewind asks of it. */
    @Override
    public void redefineModule(Module module, Set<Module> extraReads, Map<String, Set<Module>> extraExports,
            Map<String, Set<Module>> extraOpens, Set<Class<?>> extraUses, Map<Class<?>, List<Class<?>>> extraProvides) {
        if (!extraReads.isEmpty() || !extraUses.isEmpty() || !extraProvides.isEmpty()) {
            throw new UnsupportedOperationException("Rewind's native agent only adds exports and opens to a module");
        }
        access(module, extraExports, false);
        access(module, extraOpens, true);
    }

    private static void access(Module module, Map<String, Set<Module>> packages, boolean open) {
        for (Map.Entry<String, Set<Module>> e : packages.entrySet()) {
            for (Module to : e.getValue()) {
                int error = addAccess0(module, e.getKey(), to, open);
                if (error != 0) {
                    throw new IllegalStateException("JVMTI error " + error + (open ? " opening " : " exporting ")
                        + module.getName() + "/" + e.getKey() + " to " + to);
                }
            }
        }
    }

    @Override
    public boolean isModifiableModule(Module module) {
        return true;
    }
}
