package dev.rewind.internal.bytecode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.Supplier;

/**
 * Lambdas of every shape javac emits (non-capturing, capturing, instance-capturing, method and
 * constructor references, primitive functional interfaces, a string concatenation indy that must be
 * left alone), for {@link SerializableLambdaPatchTest}, which loads a patched copy of this class.
 */
public class LambdaSamples {
    private final int offset;
    private final double scale = 1.5;
    private final long big = 1L << 40;

    public LambdaSamples(int offset) {
        this.offset = offset;
    }

    /** @return every sample, each applied to {@code x} where it takes an argument */
    public static List<Object> all(int x) {
        List<Object> out = new ArrayList<>();
        Runnable r = () -> { };
        out.add(r);
        Function<Integer, Integer> capturing = v -> v + x;
        out.add(capturing);
        out.add(new LambdaSamples(x).plusOffset());
        Function<String, Integer> length = String::length;
        out.add(length);
        Supplier<List<String>> ctor = ArrayList::new;
        out.add(ctor);
        IntBinaryOperator max = Math::max;
        out.add(max);
        BiFunction<String, Integer, String> concat = (s, n) -> s + n + x;
        out.add(concat);
        out.add(Comparator.comparing(String::length));
        return out;
    }

    private Function<Integer, Integer> plusOffset() {
        return v -> v + offset + (int) scale + (int) (big >> 40);
    }

    /** @return what every sample computes, the same before and after the patch */
    @SuppressWarnings("unchecked")
    public static String results(int x) {
        List<Object> all = all(x);
        ((Runnable) all.get(0)).run();
        return ((Function<Integer, Integer>) all.get(1)).apply(10) + " "
            + ((Function<Integer, Integer>) all.get(2)).apply(10) + " "
            + ((Function<String, Integer>) all.get(3)).apply("four") + " "
            + ((Supplier<List<String>>) all.get(4)).get() + " "
            + ((IntBinaryOperator) all.get(5)).applyAsInt(3, x) + " "
            + ((BiFunction<String, Integer, String>) all.get(6)).apply("s", 1) + " "
            + ((Comparator<String>) all.get(7)).compare("aa", "b");
    }
}
