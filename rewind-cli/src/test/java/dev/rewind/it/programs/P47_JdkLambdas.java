package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Lambdas created inside the JDK, on the chain and as values: a Function built with
 * andThen/compose whose innermost function checkpoints (JDK default-method lambda frames on the
 * chain), and, held across checkpoints, a Comparator built with comparingInt/thenComparing/
 * reverseOrder in a static field, a TreeMap ordered by Comparator.comparing, Predicate.and/negate
 * and BinaryOperator.minBy.
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P47_JdkLambdas {
    static Comparator<String> byLengthThenReverse =
            Comparator.comparingInt(String::length).thenComparing(Comparator.reverseOrder());

    static int compute(int x) {
        Ck.log("compute(" + x + ") before");
        Ck.point("P47 compute " + x);
        Ck.log("compute(" + x + ") after");
        return x * x + 1;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Function<Integer, Integer> f = P47_JdkLambdas::compute;
        Function<Integer, Integer> chain = f.andThen(y -> y % 1000 + 1).compose((Integer z) -> z * 3);
        Predicate<String> shortWord = s -> s.length() <= 4;
        Predicate<String> keep = shortWord.and(s -> !s.startsWith("k")).negate();
        BinaryOperator<String> shortest = BinaryOperator.minBy(Comparator.comparingInt(String::length));
        Map<String, Integer> byLast = new TreeMap<>(Comparator.comparing((String s) -> s.charAt(s.length() - 1))
                .thenComparing(Function.identity()));
        List<String> words = new ArrayList<>(List.of("pear", "fig", "banana", "kiwi", "apple", "date"));
        long h = 0;
        for (int round = 0; round < 4 * w; round++) {
            int fromChain = chain.apply(round % 7);
            Ck.log("round " + round + " chain=" + fromChain);
            Ck.point("P47 round " + round);
            words.sort(byLengthThenReverse);
            String best = words.stream().reduce(shortest).orElse("");
            List<String> kept = new ArrayList<>();
            for (String s : words) {
                if (keep.test(s)) {
                    kept.add(s);
                }
            }
            byLast.merge(words.get(round % words.size()), round, Integer::sum);
            words.add("w" + round % 10);
            if (words.size() > 8) {
                words.remove(0);
                words.remove(words.size() - 1);
            }
            if (round % 3 == 2) {
                byLengthThenReverse = byLengthThenReverse.reversed();
            }
            Ck.log("after " + round + " sorted=" + words + " best=" + best + " kept=" + kept + " byLast=" + byLast);
            h = Ck.mix(h, fromChain);
            h = Ck.mix(h, String.join(",", words) + best + kept + byLast);
        }
        Ck.done("h=" + Long.toHexString(h) + " words=" + words + " byLast=" + byLast);
    }
}
