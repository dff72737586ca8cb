package dev.rewind.it.programs;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Checkpoints inside sequential stream pipelines (map/filter/collect/reduce/iterate): stream machinery frames on the chain. */
// Known limit: in C2-compiled stream internals the receiver of AbstractPipeline.copyInto is a dead
// slot, and an abstract JDK class has no stand-in, so the hot mode's checkpoints are refused.
@ProgramSpec(hotEvery = 499, hotWork = 500, refusedIn = "hot", refusal = "is no longer known")
public final class P40_Streams {
    static int calls;

    static int f(int i) {
        calls++;
        if (i % 3 == 0) {
            Ck.log("f(" + i + ") before");
            Ck.point("P40 f " + i);
            Ck.log("f(" + i + ") after");
        }
        return i * i;
    }

    static String g(String s) {
        calls++;
        Ck.log("g(" + s + ")");
        Ck.point("P40 g " + s);
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long h = 0;
        for (int rep = 0; rep < w; rep++) {
            int sum = IntStream.rangeClosed(1, 9).map(P40_Streams::f).filter(v -> v % 2 == 1).sum();
            String joined = List.of("red", "green", "blue").stream().map(P40_Streams::g).collect(Collectors.joining(",", "[", "]"));
            long reduced = Stream.iterate(1L, x -> x * 3).limit(6).map(x -> (long) f((int) (x % 7))).reduce(0L, Long::sum);
            List<Integer> grouped = IntStream.range(0, 6).boxed().filter(i -> f(i) >= 0).sorted((a, b) -> b - a)
                    .collect(Collectors.toList());
            Ck.log("rep " + rep + " sum=" + sum + " joined=" + joined + " reduced=" + reduced + " grouped=" + grouped);
            h = Ck.mix(h, sum);
            h = Ck.mix(h, joined);
            h = Ck.mix(h, reduced);
            h = Ck.mix(h, grouped.toString());
        }
        Ck.done("calls=" + calls + " h=" + Long.toHexString(h));
    }
}
