package dev.rewind.internal.restore;

import dev.rewind.internal.bytecode.ClassBytes;
import dev.rewind.internal.bytecode.SerializableLambdaPatch;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only class transformer. For application classes it
 * <ul>
 *   <li>makes every lambda serializable (LambdaMetafactory.altMetafactory with FLAG_SERIALIZABLE),
 *       so that a lambda held in a frame or a field can be saved and re-created; when that is all
 *       a class needs, which is always the case outside a resume, {@link SerializableLambdaPatch}
 *       does it without ASM;</li>
 *   <li>inserts a {@link RestorePrologue} into each method that the {@link RestorePlan} names.</li>
 * </ul>
 * A class it cannot handle is left untouched and reported once on stderr.
 */
public final class RestoreTransformer implements ClassFileTransformer {
    private static final String LMF = "java/lang/invoke/LambdaMetafactory";
    private static final byte[] LMF_BYTES = LMF.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] bytes) {
        RestoreRuntime.enterRewindCode();
        try {
            return transformClass(loader, className, redefined, bytes);
        } finally {
            RestoreRuntime.exitRewindCode();
        }
    }

    private byte[] transformClass(ClassLoader loader, String className, Class<?> redefined, byte[] bytes) {
        if (className == null || className.startsWith("dev/rewind/internal/") || className.equals("dev/rewind/Rewind")) {
            return null;
        }
        String binaryName = className.replace('/', '.');
        boolean jdk = loader == null || loader == ClassLoader.getPlatformClassLoader();
        boolean restore = RestorePlan.covers(binaryName);
        boolean lambdas = (!jdk || makesJdkLambdasSerializable(className)) && contains(bytes, LMF_BYTES);
        boolean skipInit = !jdk && redefined == null && RestorePlan.skipsInitializer(binaryName);
        if (!restore && !lambdas && !skipInit) {
            return null;
        }
        try {
            if (!restore && !skipInit) {
                // the common case, and the only one outside a resume: no ASM
                byte[] out = SerializableLambdaPatch.apply(bytes);
                if (out != null) {
                    ClassBytes.record(loader, className, new ClassBytes.Transformed(bytes, out, Map.of()));
                }
                return out;
            }
            return PrologueTransform.apply(loader, className, binaryName, jdk, restore, lambdas, skipInit, bytes);
        } catch (Throwable t) {
            if (reported.add(className)) {
                System.err.println("[rewind] warning: left class " + binaryName + " unchanged: " + t);
            }
            return null;
        }
    }

    /**
     * @return true for the JDK classes whose lambdas end up in application state (function
     *     composition, comparators, stream pipelines): their lambdas are made serializable too
     */
    public static boolean makesJdkLambdasSerializable(String internalName) {
        return internalName.startsWith("java/util/function/") || internalName.startsWith("java/util/stream/")
            || internalName.equals("java/util/Comparator") || internalName.equals("java/util/Map$Entry");
    }

    /**
     * @return true for the JDK classes that an agent starting up must retransform so that their
     *     lambdas are serializable: those of {@link #makesJdkLambdasSerializable} that have lambdas,
     *     where {@link JdkLambdaClasses} knows the JDK, else all of them
     */
    public static boolean retransformAtStart(String internalName) {
        return makesJdkLambdasSerializable(internalName) && (!JdkLambdaClasses.covers(Runtime.version().feature())
            || JdkLambdaClasses.hasLambdas(internalName));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
