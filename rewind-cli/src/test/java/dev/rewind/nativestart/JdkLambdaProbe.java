package dev.rewind.nativestart;

import dev.rewind.internal.agent.NativeInstrumentation;
import dev.rewind.internal.restore.RestoreTransformer;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collector;
import java.util.stream.Collectors;

/**
 * Run by {@link JdkLambdaFilterTest} in a JVM that Rewind's native agent started. Prints, one per
 * line, whether lambdas made by JDK code of each covered package are serializable, then whether the
 * native hook's name filter (C) picks the same loaded JDK classes as the Java transformer's.
 */
public final class JdkLambdaProbe {
    private JdkLambdaProbe() {
    }

    public static void main(String[] args) {
        Comparator<String> byLength = Comparator.comparing(String::length);
        Collector<Object, ?, ?> toList = Collectors.toList();
        check("Comparator.comparing", byLength);
        check("Comparator.thenComparing", byLength.thenComparing(Comparator.naturalOrder()));
        check("Map.Entry.comparingByKey", Map.Entry.<String, Integer>comparingByKey());
        check("Function.andThen", Function.<String>identity().andThen(String::length));
        check("UnaryOperator.identity", UnaryOperator.identity());
        check("Predicate.not", Predicate.not(Predicate.isEqual("x")));
        check("BinaryOperator.minBy", BinaryOperator.minBy(byLength));
        check("Collectors.toList supplier", toList.supplier());
        check("Collectors.joining combiner", Collectors.joining().combiner());

        NativeInstrumentation inst = NativeInstrumentation.get();
        if (inst == null) {
            System.out.println("not started by the native agent");
            return;
        }
        Set<String> c = new TreeSet<>();
        for (Class<?> k : inst.jdkLambdaCandidates()) {
            if (!k.isHidden()) {
                c.add(k.getName());
            }
        }
        Set<String> java = new TreeSet<>();
        for (Class<?> k : inst.getAllLoadedClasses()) {
            if (k.getClassLoader() == null && !k.isHidden() && !k.isArray() && !k.isPrimitive()
                    && RestoreTransformer.makesJdkLambdasSerializable(k.getName().replace('.', '/'))) {
                java.add(k.getName());
            }
        }
        System.out.println(c.equals(java) ? "candidates agree: " + c.size()
            : "candidates differ: C only " + minus(c, java) + ", Java only " + minus(java, c));
    }

    /** Prints whether the object (a lambda made by JDK code, or something holding one) is serializable. */
    private static void check(String what, Object o) {
        System.out.println(what + (o instanceof Serializable ? " serializable" : " NOT serializable: " + o.getClass()));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
