package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;

/**
 * Class hierarchies on the chain: virtual dispatch, super calls that checkpoint, an abstract template
 * method, a generic class and a compareTo reached through a bridge method.
 */
@ProgramSpec(hotMethods = "P38_Inheritance$Animal::describe")
public final class P38_Inheritance {
    abstract static class Animal {
        protected final String name;
        protected int age;

        Animal(String name, int age) {
            this.name = name;
            this.age = age;
        }

        final String describe(int round) {
            String pre = name + "(" + age + ")";
            String s = sound(round);
            age++;
            return pre + " says " + s;
        }

        abstract String sound(int round);
    }

    static class Dog extends Animal {
        Dog(String name, int age) {
            super(name, age);
        }

        @Override
        String sound(int round) {
            Ck.log("dog " + name + " round " + round + " before");
            Ck.point("P38 dog " + name + " " + round);
            Ck.log("dog " + name + " round " + round + " after");
            return "woof" + round % 3;
        }
    }

    static final class Puppy extends Dog {
        Puppy(String name) {
            super(name, 0);
        }

        @Override
        String sound(int round) {
            String inherited = super.sound(round);
            return "tiny " + inherited;
        }
    }

    static final class Cat extends Animal {
        Cat(String name, int age) {
            super(name, age);
        }

        @Override
        String sound(int round) {
            Ck.point("P38 cat " + name + " " + round);
            return "meow";
        }
    }

    static final class Version implements Comparable<Version> {
        final int major;
        final int minor;

        Version(int major, int minor) {
            this.major = major;
            this.minor = minor;
        }

        @Override
        public int compareTo(Version o) {
            int c = Integer.compare(major, o.major);
            if (c == 0) {
                Ck.log("compare " + this + " with " + o + " tie on major");
                Ck.point("P38 compareTo " + this);
                c = Integer.compare(minor, o.minor);
            }
            return c;
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    static final class Holder<T extends Comparable<T>> {
        T best;

        @SuppressWarnings({"unchecked", "rawtypes"})
        void offer(T candidate) {
            Comparable raw = candidate; // calls compareTo(Object), the bridge
            if (best == null || raw.compareTo(best) > 0) {
                best = candidate;
            }
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        List<Animal> zoo = new ArrayList<>(List.of(new Dog("rex", 3), new Puppy("bit"), new Cat("tom", 5)));
        Holder<Version> holder = new Holder<>();
        long h = 0;
        for (int round = 0; round < 2 * w; round++) {
            for (Animal a : zoo) {
                String d = a.describe(round);
                Ck.log(d);
                h = Ck.mix(h, d);
            }
            holder.offer(new Version(1, round % 5));
            holder.offer(new Version(round % 2, 9));
            Ck.log("best=" + holder.best);
        }
        Ck.done("h=" + Long.toHexString(h) + " best=" + holder.best + " ages=" + zoo.get(0).age + "," + zoo.get(1).age + ","
                + zoo.get(2).age);
    }
}
