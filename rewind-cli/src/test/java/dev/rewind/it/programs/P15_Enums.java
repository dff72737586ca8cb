package dev.rewind.it.programs;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/** Enums with fields and constant-specific bodies, EnumMap/EnumSet, switches and identity comparisons after resume. */
@ProgramSpec(hotMethods = "P15_Enums::apply")
public final class P15_Enums {
    enum Op {
        ADD("+") {
            long apply(long a, long b) {
                return a + b;
            }
        },
        SUB("-") {
            long apply(long a, long b) {
                return a - b;
            }
        },
        MUL("*") {
            long apply(long a, long b) {
                return a * b;
            }
        },
        XOR("^") {
            long apply(long a, long b) {
                return a ^ b;
            }
        };

        final String symbol;
        int uses;

        Op(String symbol) {
            this.symbol = symbol;
        }

        abstract long apply(long a, long b);
    }

    enum Color { RED, GREEN, BLUE }

    static final Map<Op, Long> TOTALS = new EnumMap<>(Op.class);
    static Op favourite = Op.MUL;

    static long apply(Op op, long a, long b, int step) {
        op.uses++;
        long r = op.apply(a, b);
        Ck.log("apply " + op + op.symbol + " step " + step + " -> " + r);
        Ck.point("P15 " + op.name() + " " + step);
        Ck.log("applied " + op + " isFavourite=" + (op == favourite) + " sameAsValueOf=" + (op == Op.valueOf(op.name()))
                + " declaring=" + op.getDeclaringClass().getSimpleName() + " ordinal=" + op.ordinal());
        return r;
    }

    public static void main(String[] args) {
        int w = Ck.work();
        EnumSet<Color> seen = EnumSet.noneOf(Color.class);
        Map<Color, Integer> perColor = new EnumMap<>(Color.class);
        Op current = Op.ADD;
        long acc = 3;
        for (int step = 0; step < 8 * w; step++) {
            Color c = Color.values()[step % 3];
            seen.add(c);
            perColor.merge(c, step, Integer::sum);
            acc = apply(current, acc, step + 2, step);
            TOTALS.merge(current, acc, Long::sum);
            switch (current) {
                case ADD -> current = Op.MUL;
                case MUL -> current = Op.SUB;
                case SUB -> current = Op.XOR;
                default -> current = Op.ADD;
            }
            if (step % 5 == 4) {
                favourite = current;
            }
            acc &= 0xFFFFFFFFFFL;
        }
        StringBuilder uses = new StringBuilder();
        for (Op op : Op.values()) {
            uses.append(op).append('=').append(op.uses).append(' ');
        }
        Ck.done("acc=" + acc + " totals=" + TOTALS + " perColor=" + perColor + " seen=" + seen + " uses=" + uses
                + "favourite=" + favourite + " current=" + current);
    }
}
