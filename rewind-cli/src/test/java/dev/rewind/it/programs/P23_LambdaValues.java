package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Application lambdas as values that must survive a resume: a Comparator lambda stored in a static
 * field (and its reversed() wrapper), lambdas capturing locals kept in a list, a hand-composed
 * Function, bound/unbound/constructor method references and a lambda capturing 'this'. (Comparators
 * and Functions built by JDK combinators are in P47.)
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P23_LambdaValues {
    static Comparator<String> byLengthThenReverse = (a, b) -> a.length() != b.length()
            ? Integer.compare(a.length(), b.length()) : b.compareTo(a);
    static Function<Integer, Integer> plusOne = x -> x + 1;
    static Function<Integer, Integer> composed = x -> plusOne.apply(x) * 2;

    private final List<IntSupplier> suppliers = new ArrayList<>();
    private int bias = 3;
    private final StringBuilder sink = new StringBuilder();

    IntSupplier biased(int v) {
        return () -> v + bias;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        P23_LambdaValues self = new P23_LambdaValues();
        List<String> words = new ArrayList<>(List.of("pear", "fig", "banana", "kiwi", "apple", "date"));
        Supplier<List<String>> factory = ArrayList::new;
        UnaryOperator<String> upper = String::toUpperCase;
        Function<Object, StringBuilder> appendRef = self.sink::append; // bound method reference
        long h = 0;
        for (int round = 0; round < 6 * w; round++) {
            int base = round * 10;
            int square = round * round;
            self.suppliers.add(() -> base + square);
            self.suppliers.add(self.biased(round));
            if (self.suppliers.size() > 6) {
                self.suppliers.remove(0);
            }
            Ck.log("round " + round + " suppliers=" + self.suppliers.size() + " sink=" + self.sink);
            Ck.point("P23 round " + round);
            words.sort(byLengthThenReverse);
            List<String> copy = factory.get();
            for (String s : words) {
                copy.add(upper.apply(s));
            }
            int sum = 0;
            for (IntSupplier s : self.suppliers) {
                sum += s.getAsInt();
            }
            appendRef.apply(round % 10);
            if (self.sink.length() > 12) {
                self.sink.delete(0, 6);
            }
            self.bias++;
            words.add("w" + round);
            if (words.size() > 8) {
                words.remove(words.size() - 1);
                words.remove(0);
            }
            if (round % 3 == 2) {
                byLengthThenReverse = byLengthThenReverse.reversed();
            }
            int c = composed.apply(round);
            Ck.log("after " + round + " sorted=" + copy + " sum=" + sum + " composed=" + c);
            h = Ck.mix(h, sum);
            h = Ck.mix(h, String.join(",", copy));
            h = Ck.mix(h, c);
        }
        Ck.done("words=" + words + " bias=" + self.bias + " sink=" + self.sink + " h=" + Long.toHexString(h));
    }
}
