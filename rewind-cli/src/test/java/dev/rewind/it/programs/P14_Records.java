package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records: nested, generic, compact constructors, equals/hashCode after resume, records in collections. */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P14_Records {
    record Point(int x, int y) {
        Point {
            if (x < -1000) {
                throw new IllegalArgumentException("x");
            }
        }

        Point plus(Point o) {
            return new Point(x + o.x, y + o.y);
        }
    }

    record Line(Point a, Point b, String label) {
        long length2() {
            long dx = b.x() - a.x();
            long dy = b.y() - a.y();
            return dx * dx + dy * dy;
        }
    }

    record Pair<A, B>(A first, B second) {
        static <A, B> Pair<A, B> of(A a, B b) {
            return new Pair<>(a, b);
        }
    }

    record Stats(double mean, long count, boolean ok) {
    }

    static Point origin = new Point(0, 0);

    public static void main(String[] args) {
        int w = Ck.work();
        List<Line> lines = new ArrayList<>();
        Map<String, Point> named = new TreeMap<>();
        Pair<String, Pair<Integer, Double>> nested = Pair.of("n", Pair.of(1, 1.5));
        Point cursor = new Point(1, 2);
        for (int round = 0; round < 5 * w; round++) {
            Point step = new Point(round % 3 - 1, round % 5 - 2);
            Point saved = cursor;
            cursor = cursor.plus(step);
            Ck.log("round " + round + " cursor=" + cursor + " saved=" + saved + " nested=" + nested);
            Ck.point("P14 round " + round);
            Line l = new Line(saved, cursor, "L" + round);
            lines.add(l);
            if (lines.size() > 5) {
                lines.remove(0);
            }
            named.put("p" + round % 4, cursor);
            nested = Pair.of(nested.first() + round % 10, Pair.of(nested.second().first() + 1, nested.second().second() * 1.25));
            if (nested.first().length() > 8) {
                nested = Pair.of("n", nested.second());
            }
            boolean eq = saved.equals(new Point(saved.x(), saved.y()));
            Ck.log("after " + round + " line=" + l + " len2=" + l.length2() + " eq=" + eq + " hash=" + saved.hashCode()
                    + " origin=" + origin.equals(new Point(0, 0)));
        }
        long h = 0;
        for (Line l : lines) {
            h = Ck.mix(h, l.hashCode());
            h = Ck.mix(h, l.length2());
        }
        Stats st = new Stats(lines.stream().mapToLong(Line::length2).average().orElse(0), lines.size(), true);
        Ck.done("cursor=" + cursor + " named=" + named + " nested=" + nested + " stats=" + st + " h=" + Long.toHexString(h));
    }
}
