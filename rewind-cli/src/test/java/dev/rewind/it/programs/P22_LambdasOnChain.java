package dev.rewind.it.programs;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * Application lambdas and method references on the chain: a Runnable whose body checkpoints, a
 * Supplier, a chain of Functions applied one after the other, a method reference to a static
 * method, a BiFunction capturing locals, and a lambda calling a lambda. (Lambdas created by the JDK,
 * such as Function.andThen's, are in P47.)
 */
@ProgramSpec(hotMethods = "P22_LambdasOnChain::compute")
public final class P22_LambdasOnChain {
    static long total;
    static int works;

    static void work(int base) {
        works++;
        Ck.log("work(" + base + ") before total=" + total);
        Ck.point("P22 work " + base);
        total += base;
        Ck.log("work(" + base + ") after total=" + total);
    }

    static int compute(int x) {
        Ck.log("compute(" + x + ") before");
        Ck.point("P22 compute " + x);
        Ck.log("compute(" + x + ") after");
        return x * x + 1;
    }

    static int step(int x) {
        return compute(x) + 3;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long h = 0;
        for (int rep = 0; rep < w; rep++) {
            int base = 10 + rep % 7;
            Runnable r = () -> work(base);
            r.run();
            int captured = base * 2;
            Supplier<Integer> s = () -> compute(captured) - captured;
            int fromSupplier = s.get();
            Function<Integer, Integer> f = x -> compute(x) % 1000;
            Function<Integer, Integer> triple = z -> z * 3;
            Function<Integer, Integer> inc = y -> y + 1;
            Function<Integer, Integer> chain = z -> inc.apply(f.apply(triple.apply(z)));
            int fromChain = chain.apply(base);
            IntUnaryOperator op = P22_LambdasOnChain::step;
            int fromRef = op.applyAsInt(rep % 5);
            String prefix = "p" + rep;
            BiFunction<String, Integer, String> bi = (a, b) -> prefix + a + compute(b);
            String fromBi = bi.apply("-", 4);
            Supplier<Supplier<Integer>> nested = () -> () -> compute(captured + 1) + fromSupplier;
            int fromNested = nested.get().get();
            h = Ck.mix(h, fromSupplier);
            h = Ck.mix(h, fromChain);
            h = Ck.mix(h, fromRef);
            h = Ck.mix(h, fromBi);
            h = Ck.mix(h, fromNested);
            Ck.log("rep " + rep + " supplier=" + fromSupplier + " chain=" + fromChain + " ref=" + fromRef + " bi=" + fromBi
                    + " nested=" + fromNested);
        }
        Ck.done("total=" + total + " works=" + works + " h=" + Long.toHexString(h));
    }
}
