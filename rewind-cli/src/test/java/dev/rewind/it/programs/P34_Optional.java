package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Optional, OptionalInt/Long/Double (empty and present) in locals, fields and lists across checkpoints. */
public final class P34_Optional {
    static Optional<String> best = Optional.empty();

    static Optional<Integer> parse(String s) {
        try {
            return Optional.of(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        String[] inputs = {"12", "x", "7", "", "-3", "40"};
        List<Optional<Integer>> parsed = new ArrayList<>();
        Optional<String> maybe = Optional.empty();
        OptionalInt oi = OptionalInt.empty();
        OptionalLong ol = OptionalLong.of(Long.MIN_VALUE);
        OptionalDouble od = OptionalDouble.of(-0.0);
        for (int round = 0; round < 6 * w; round++) {
            String in = inputs[round % inputs.length];
            Optional<Integer> p = parse(in);
            parsed.add(p);
            if (parsed.size() > 6) {
                parsed.remove(0);
            }
            Ck.log("round " + round + " in='" + in + "' p=" + p + " maybe=" + maybe + " oi=" + oi + " ol=" + ol + " od=" + od
                    + " best=" + best);
            Ck.point("P34 round " + round);
            Optional<String> prev = maybe;
            maybe = p.filter(v -> v > 5).map(v -> "big" + v).or(() -> prev.isPresent() ? Optional.empty() : Optional.of("none"));
            oi = p.isPresent() ? OptionalInt.of(p.get() * 2) : OptionalInt.empty();
            ol = ol.isPresent() && round % 4 == 3 ? OptionalLong.empty() : OptionalLong.of(round);
            od = OptionalDouble.of(od.orElse(1) / 2);
            if (maybe.isPresent() && maybe.get().compareTo(best.orElse("")) > 0) {
                best = maybe;
            }
            Ck.log("after " + round + " maybe=" + maybe + " empty=" + maybe.isEmpty() + " orElse=" + p.orElse(-1)
                    + " equalsEmpty=" + Optional.empty().equals(p));
        }
        int sum = 0;
        for (Optional<Integer> p : parsed) {
            sum += p.orElse(100);
        }
        Ck.done("sum=" + sum + " best=" + best + " maybe=" + maybe + " oi=" + oi + " ol=" + ol + " od=" + od);
    }
}
