package dev.rewind.internal.steps;

import dev.rewind.RewindException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The class files one fingerprint computation reads, parsed once per (class loader, class name)
 * and forgotten with the computation, so that no class loader is kept reachable afterwards.
 *
 * <p>Classes are found as resources of the loader the referencing class was looked up through,
 * without loading them: fingerprinting must not run static initialisers or fail on classes that
 * are missing at run time. A class is APPLICATION code unless its name is in a JDK or Rewind
 * package, or the platform class loader can see it (then, under parent-first delegation, the boot
 * or platform loader defines it).
 */
final class ClassIndex {
    private static final String[] EXCLUDED = {"java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/rewind/internal/",
        "dev/rewind/cli/"};
    /** Rewind's public API package; its subpackages other than internal and cli (examples, say) are applications. */
    private static final String API = "dev/rewind/";

    /** What the index knows about one class name. */
    enum Kind {
        /** Not followed: a JDK or Rewind class. */
        LIBRARY,
        /** Application code whose class file could not be found (generated at run time, say). */
        UNAVAILABLE,
        /** Application code, parsed. */
        APPLICATION
    }

    /** @param node the parsed class without debug information, null unless kind is APPLICATION */
    record Entry(Kind kind, ClassNode node) {
    }

    private record Key(ClassLoader loader, String name) {
    }

    private final Map<Key, Entry> entries = new HashMap<>();
    private final Map<Key, ClassNode> headers = new HashMap<>();

    /** @return what the class is, parsing it on first use */
    Entry lookup(ClassLoader loader, String internalName) {
        return entries.computeIfAbsent(new Key(loader, internalName), k -> load(loader, internalName));
    }

    boolean isApplication(ClassLoader loader, String internalName) {
        return lookup(loader, internalName).kind() != Kind.LIBRARY;
    }

    /** @return true unless the class is JDK or Rewind code, judged by its name and defining loader */
    static boolean isApplication(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        return l != null && l != ClassLoader.getPlatformClassLoader() && !excludedName(internalName(c));
    }

    static String internalName(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    /**
     * @return the class's members, without code for library classes (their signatures are needed to
     *     tell overrides), or null when the class file is missing
     */
    ClassNode header(ClassLoader loader, String internalName) {
        Entry e = lookup(loader, internalName);
        if (e.kind() == Kind.APPLICATION) {
            return e.node();
        }
        return headers.computeIfAbsent(new Key(loader, internalName), k -> {
            byte[] bytes = read(resource(loader, internalName));
            return bytes == null ? null : parse(bytes, ClassReader.SKIP_CODE);
        });
    }

    static MethodNode declared(ClassNode c, String name, String descriptor) {
        for (MethodNode m : c.methods) {
            if (m.name.equals(name) && m.desc.equals(descriptor)) {
                return m;
            }
        }
        return null;
    }

    private static Entry load(ClassLoader loader, String internalName) {
        if (excludedName(internalName) || internalName.startsWith("[")) {
            return new Entry(Kind.LIBRARY, null);
        }
        String resource = internalName + ".class";
        if (ClassLoader.getPlatformClassLoader().getResource(resource) != null) {
            return new Entry(Kind.LIBRARY, null);
        }
        byte[] bytes = read(resource(loader, internalName));
        if (bytes == null) {
            return new Entry(Kind.UNAVAILABLE, null);
        }
        // debug information (lines, local names, source file) and stack map frames are not code
        return new Entry(Kind.APPLICATION, parse(bytes, 0));
    }

    private static ClassNode parse(byte[] bytes, int extraFlags) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES | extraFlags);
        return node;
    }

    private static URL resource(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        return loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
    }

    private static byte[] read(URL url) {
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            // the loader advertised the class file but cannot deliver it: that is an I/O failure,
            // not a missing class, and fingerprinting without it would silently ignore code
            throw new RewindException("Cannot read the class file " + url + " to fingerprint step code: "
                + e.getMessage() + ". Check that the application's class path is readable.", e);
        }
    }

    private static boolean excludedName(String internalName) {
        if (internalName.startsWith(API) && internalName.indexOf('/', API.length()) < 0) {
            return true;
        }
        for (String prefix : EXCLUDED) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
