package dev.rewind.bench;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Stream pipelines with lambdas (which the Rewind agent rewrites to serializable lambdas):
 * primitive streams with map/filter/reduce, boxed streams collected with groupingBy, and a
 * sorted/distinct pipeline over strings.
 */
public final class StreamsPipeline {
    private StreamsPipeline() {
    }

    public static void main(String[] args) {
        int rounds = Report.intArg(args, 0, 160);
        Report.print("streams", Report.time(rounds / 10, rounds, StreamsPipeline::work));
    }

    static long work(int rounds) {
        long h = 0;
        for (int r = 0; r < rounds; r++) {
            final int salt = r;
            long a = LongStream.range(0, 400_000)
                .map(x -> x * 2654435761L + salt)
                .filter(x -> (x & 7) != 0)
                .map(x -> x ^ (x >>> 13))
                .sum();
            Map<Integer, Long> groups = IntStream.range(0, 100_000)
                .boxed()
                .collect(Collectors.groupingBy(i -> (i * 31 + salt) % 101, Collectors.counting()));
            List<String> words = IntStream.range(0, 20_000)
                .mapToObj(i -> Integer.toString((i * 7919 + salt) % 5003, 36))
                .distinct()
                .sorted()
                .collect(Collectors.toList());
            double avg = words.stream().mapToInt(String::length).average().orElse(0);
            h = h * 31 + a;
            h = h * 31 + groups.get(salt % 101);
            h = h * 31 + words.size() + words.get(words.size() / 2).hashCode();
            h = h * 31 + Double.doubleToLongBits(avg);
        }
        return h;
    }
}
