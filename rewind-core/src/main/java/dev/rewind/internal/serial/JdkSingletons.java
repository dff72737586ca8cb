package dev.rewind.internal.serial;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The table of JDK instances that programs compare by identity (or that cannot be copied, such as
 * System.out): each is saved by name and read back as the same instance of the new JVM. Instances
 * not listed here are copied field by field like any other object.
 */
final class JdkSingletons {
    /** Name to instance supplier; suppliers run in the reading JVM. */
    private static final Map<String, Supplier<Object>> BY_NAME = new LinkedHashMap<>();
    /** Instance to name for the entries whose instance never changes. */
    private static final Map<Object, String> BY_INSTANCE = new IdentityHashMap<>();
    /** Classes that have an instance in the table: only their instances pay for a lookup. */
    private static final Set<Class<?>> CANDIDATE_CLASSES = Collections.newSetFromMap(new IdentityHashMap<>());

    static {
        fixed("Collections.emptyList", Collections.emptyList());
        fixed("Collections.emptySet", Collections.emptySet());
        fixed("Collections.emptyMap", Collections.emptyMap());
        fixed("Collections.emptyIterator", Collections.emptyIterator());
        fixed("Collections.emptyListIterator", Collections.emptyListIterator());
        fixed("Collections.emptyEnumeration", Collections.emptyEnumeration());
        fixed("Collections.emptySortedSet", Collections.emptySortedSet());
        fixed("Collections.emptyNavigableSet", Collections.emptyNavigableSet());
        fixed("Collections.emptySortedMap", Collections.emptySortedMap());
        fixed("Collections.emptyNavigableMap", Collections.emptyNavigableMap());
        fixed("Collections.reverseOrder", Collections.reverseOrder());
        fixed("Comparator.reverseOrder", Comparator.reverseOrder());
        fixed("String.CASE_INSENSITIVE_ORDER", String.CASE_INSENSITIVE_ORDER);
        fixed("List.of", List.of());
        fixed("Set.of", Set.of());
        fixed("Map.of", Map.of());
        fixed("Optional.empty", Optional.empty());
        fixed("OptionalInt.empty", OptionalInt.empty());
        fixed("OptionalLong.empty", OptionalLong.empty());
        fixed("OptionalDouble.empty", OptionalDouble.empty());
        fixed("Function.identity", Function.identity());
        fixed("UnaryOperator.identity", UnaryOperator.identity());
        // the JDK takes fast paths when a charset is identical to its own constant
        fixed("StandardCharsets.UTF_8", StandardCharsets.UTF_8);
        fixed("StandardCharsets.ISO_8859_1", StandardCharsets.ISO_8859_1);
        fixed("StandardCharsets.US_ASCII", StandardCharsets.US_ASCII);
        fixed("StandardCharsets.UTF_16", StandardCharsets.UTF_16);
        fixed("StandardCharsets.UTF_16BE", StandardCharsets.UTF_16BE);
        fixed("StandardCharsets.UTF_16LE", StandardCharsets.UTF_16LE);
        // The standard streams are looked up when read, so a restored program prints to its own console.
        dynamic("System.out", () -> System.out);
        dynamic("System.err", () -> System.err);
        dynamic("System.in", () -> System.in);
    }

    private JdkSingletons() {
    }

    private static void fixed(String name, Object instance) {
        // Some entries are the same instance (Comparator.reverseOrder() is Collections.reverseOrder()): first name wins.
        BY_NAME.putIfAbsent(name, () -> instance);
        BY_INSTANCE.putIfAbsent(instance, name);
        CANDIDATE_CLASSES.add(instance.getClass());
    }

    private static void dynamic(String name, Supplier<Object> supplier) {
        BY_NAME.put(name, supplier);
        CANDIDATE_CLASSES.add(supplier.get().getClass());
    }

    /** Prefix of a JDK class's own constant: {@code static:java.util.Locale#ROOT}. */
    private static final String STATIC = "static:";

    /**
     * A JDK class's own constants (static final fields holding an instance of the class, such as
     * Locale.ROOT or BigInteger.ZERO): code compares them with ==, so they are saved by name.
     */
    private static final ClassValue<Map<Object, String>> OWN_CONSTANTS = new ClassValue<>() {
        @Override
        protected Map<Object, String> computeValue(Class<?> c) {
            Map<Object, String> out = new IdentityHashMap<>();
            ClassLoader loader = c.getClassLoader();
            if ((loader != null && loader != ClassLoader.getPlatformClassLoader()) || c.isEnum() || c.isArray()) {
                return out;
            }
            try {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (java.lang.reflect.Modifier.isStatic(m) && java.lang.reflect.Modifier.isFinal(m)
                            && !f.getType().isPrimitive()) {
                        f.setAccessible(true);
                        Object v = f.get(null);
                        if (v != null && v.getClass() == c) {
                            out.putIfAbsent(v, STATIC + c.getName() + "#" + f.getName());
                        }
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // a class Rewind cannot look into: its instances are copied field by field
            }
            return out;
        }
    };

    /** Whether instances of this class may be singletons (checked once per class). */
    static boolean isCandidate(Class<?> c) {
        return CANDIDATE_CLASSES.contains(c) || !OWN_CONSTANTS.get(c).isEmpty();
    }

    /** @return the table name of this instance, or null if it is not a listed singleton */
    static String nameOf(Object o) {
        String name = BY_INSTANCE.get(o);
        if (name != null) {
            return name;
        }
        if (o == System.out) {
            return "System.out";
        }
        if (o == System.err) {
            return "System.err";
        }
        if (o == System.in) {
            return "System.in";
        }
        return OWN_CONSTANTS.get(o.getClass()).get(o);
    }

    /** @return the instance for a table name in this JVM, or null if the name is unknown */
    static Object byName(String name) {
        if (name.startsWith(STATIC)) {
            int hash = name.indexOf('#');
            try {
                Class<?> c = Class.forName(name.substring(STATIC.length(), hash), true, null);
                java.lang.reflect.Field f = c.getDeclaredField(name.substring(hash + 1));
                int m = f.getModifiers();
                if (hash < 0 || !java.lang.reflect.Modifier.isStatic(m) || !java.lang.reflect.Modifier.isFinal(m)) {
                    return null;
                }
                f.setAccessible(true);
                return f.get(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null; // only JDK (boot) classes' own constants are looked up
            }
        }
        Supplier<Object> s = BY_NAME.get(name);
        return s == null ? null : s.get();
    }
}
