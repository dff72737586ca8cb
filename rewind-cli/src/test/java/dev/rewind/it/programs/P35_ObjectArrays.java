package dev.rewind.it.programs;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Arrays of objects: mixed Object[] (with null and a self-reference), jagged and rectangular 2D/3D
 * arrays, arrays of records and enums, and array covariance (a String[] seen as Object[] must still
 * throw ArrayStoreException after a resume).
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P35_ObjectArrays {
    record Person(String name, int age) {
    }

    enum Suit { CLUBS, DIAMONDS, HEARTS, SPADES }

    static Person[] people = {new Person("ann", 31), new Person("bob", 25), new Person("cy", 44)};

    public static void main(String[] args) {
        int w = Ck.work();
        Object[] mixed = {1, "two", 3.0, new int[] {4}, null, Suit.HEARTS, new Person("dee", 9)};
        Object[] selfRef = new Object[2];
        selfRef[0] = selfRef;
        int[][] rect = new int[3][4];
        int[][] jagged = {{1}, {2, 3}, {}, {4, 5, 6}};
        long[][][] cube = new long[2][3][2];
        String[][] names = {{"a", "b"}, {"c"}};
        Object[] covariant = new String[] {"s0", "s1", "s2"};
        Suit[] suits = Suit.values();
        long h = 0;
        for (int round = 0; round < 6 * w; round++) {
            rect[round % 3][round % 4] += round;
            jagged[round % jagged.length] = Arrays.copyOf(jagged[round % jagged.length], jagged[round % jagged.length].length % 4 + 1);
            cube[round % 2][round % 3][round % 2] += round * 1000L;
            Ck.log("round " + round + " mixed=" + Arrays.deepToString(mixed) + " rect=" + Arrays.deepToString(rect)
                    + " jagged=" + Arrays.deepToString(jagged) + " names=" + Arrays.deepToString(names));
            Ck.point("P35 round " + round);
            String storeResult;
            try {
                covariant[round % 3] = round % 2 == 0 ? "s" + round : Integer.valueOf(round);
                storeResult = "stored";
            } catch (ArrayStoreException e) {
                storeResult = "ArrayStoreException";
            }
            Arrays.sort(people, round % 2 == 0 ? Comparator.comparing(Person::name) : Comparator.comparingInt(Person::age));
            mixed[round % mixed.length] = round % 3 == 0 ? suits[round % 4] : (Object) ("m" + round);
            names[round % 2] = Arrays.copyOf(names[round % 2], names[round % 2].length % 3 + 1);
            names[round % 2][0] = "n" + round;
            Ck.log("after " + round + " store=" + storeResult + " covariantType=" + covariant.getClass().getSimpleName()
                    + " people=" + Arrays.toString(people) + " selfRef=" + (selfRef[0] == selfRef) + " cube="
                    + Arrays.deepToString(cube) + " suitsSame=" + (suits[2] == Suit.HEARTS));
            h = Ck.mix(h, Arrays.deepToString(mixed));
        }
        Ck.done("h=" + Long.toHexString(h) + " covariant=" + Arrays.toString(covariant) + " names=" + Arrays.deepToString(names)
                + " rect=" + Arrays.deepToString(rect) + " people=" + Arrays.toString(people));
    }
}
