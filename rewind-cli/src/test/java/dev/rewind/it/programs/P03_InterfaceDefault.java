package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;

/** Interface default methods (and a private interface method, and a diamond override) on the chain. */
@ProgramSpec(hotMethods = "P03_InterfaceDefault$Shape::describe")
public final class P03_InterfaceDefault {
    interface Shape {
        double area();

        String name();

        default String describe(int i) {
            double a = area();
            String head = name() + "#" + i;
            Ck.log(head + " area=" + fmt(a));
            Ck.point("P03 describe " + head);
            return head + ":" + weigh(a);
        }

        private long weigh(double a) {
            return Math.round(a * 1000);
        }

        static String fmt(double d) {
            return Long.toString(Math.round(d * 100));
        }
    }

    interface Scaled extends Shape {
        double factor();

        @Override
        default String describe(int i) {
            String inner = Shape.super.describe(i);
            Ck.log("scaled by " + fmt(factor()));
            Ck.point("P03 scaled " + i);
            return inner + "*" + fmt(factor());
        }
    }

    record Circle(double r) implements Shape {
        public double area() {
            return Math.PI * r * r;
        }

        public String name() {
            return "circle";
        }
    }

    record Rect(double w, double h) implements Shape {
        public double area() {
            return w * h;
        }

        public String name() {
            return "rect";
        }
    }

    record Zoom(Shape base, double factor) implements Scaled {
        public double area() {
            return base.area() * factor * factor;
        }

        public String name() {
            return "zoom(" + base.name() + ")";
        }
    }

    private static String fmt(double d) {
        return Shape.fmt(d);
    }

    public static void main(String[] args) {
        int w = Ck.work();
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Circle(1.5));
        shapes.add(new Rect(2, 3.25));
        shapes.add(new Zoom(new Circle(0.5), 3));
        shapes.add(new Zoom(new Rect(1, 1), 1.5));
        long h = 0;
        int n = 0;
        for (int rep = 0; rep < w; rep++) {
            for (Shape s : shapes) {
                String d = s.describe(n++);
                Ck.log("got " + d);
                h = Ck.mix(h, d);
            }
        }
        Ck.done("n=" + n + " h=" + Long.toHexString(h));
    }
}
