package dev.rewind.internal.bytecode;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class files behind loaded classes. Rewind analyses the ORIGINAL class file (before its own
 * transformations) for types and layouts, and maps a live bci through the bytes it actually
 * installed; this registry remembers both for every class the agent transformed.
 */
public final class ClassBytes {
    /**
     * What the agent did to one class.
     *
     * @param original the class file as defined
     * @param installed the class file the agent installed
     * @param originalIndexes per transformed method (name+descriptor): for each instruction of the
     *     installed method, the index of the original instruction it is, or -1 for inserted code
     */
    public record Transformed(byte[] original, byte[] installed, Map<String, int[]> originalIndexes) {
        /**
         * @return the original instruction index of the installed instruction at an index, -1 for
         *     inserted code
         */
        public int originalIndex(String name, String descriptor, int installedIndex) {
            int[] map = originalIndexes.get(name + descriptor);
            if (map == null) {
                return installedIndex; // unchanged method: same instructions
            }
            return installedIndex < map.length ? map[installedIndex] : -1;
        }
    }

    private static final Object BOOT = new Object();
    private static final Map<Object, Map<String, java.util.List<Transformed>>> TRANSFORMED = new WeakHashMap<>();

    private ClassBytes() {
    }

    /** Records what the agent installed for a class (internal name). */
    public static synchronized void record(ClassLoader loader, String internalName, Transformed t) {
        TRANSFORMED.computeIfAbsent(loader == null ? BOOT : loader, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(internalName, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(t);
    }

    /** @return what the agent installed last for the class, or null when it runs its original bytes */
    public static synchronized Transformed transformed(Class<?> c) {
        java.util.List<Transformed> all = versions(c);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * @return every version the agent installed for the class, oldest first. Frames that were
     *     running when a class was retransformed keep running the version they started in.
     */
    public static synchronized java.util.List<Transformed> versions(Class<?> c) {
        Map<String, java.util.List<Transformed>> m = TRANSFORMED.get(c.getClassLoader() == null ? BOOT
            : c.getClassLoader());
        java.util.List<Transformed> all = m == null ? null : m.get(c.getName().replace('.', '/'));
        return all == null ? java.util.List.of() : java.util.List.copyOf(all);
    }

    /**
     * @return the class file the class was defined from, before Rewind changed it
     * @throws IOException when the class file cannot be found (a generated class, for example)
     */
    public static byte[] original(Class<?> c) throws IOException {
        Transformed t = transformed(c);
        if (t != null) {
            return t.original();
        }
        String resource = "/" + c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class file " + resource.substring(1) + " not found through "
                    + (c.getClassLoader() == null ? "the boot class loader" : c.getClassLoader()));
            }
            return in.readAllBytes();
        }
    }
}
