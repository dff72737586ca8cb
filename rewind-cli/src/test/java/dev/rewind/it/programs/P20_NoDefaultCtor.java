package dev.rewind.it.programs;

import java.util.ArrayList;
import java.util.List;

/**
 * Classes without a no-argument constructor (final fields, validating constructors with side
 * effects, a subclass chain): restoring them must not run constructors (the construction
 * counters are printed).
 */
@ProgramSpec(hotEvery = 499, hotWork = 500)
public final class P20_NoDefaultCtor {
    static int constructed;

    static class Money {
        final long cents;
        final String currency;

        Money(long cents, String currency) {
            if (currency == null || currency.length() != 3) {
                throw new IllegalArgumentException("currency");
            }
            this.cents = cents;
            this.currency = currency;
            constructed++;
        }

        Money add(Money o) {
            return new Money(cents + o.cents, currency);
        }

        @Override
        public String toString() {
            return cents / 100 + "." + String.format(java.util.Locale.ROOT, "%02d", Math.abs(cents % 100)) + " " + currency;
        }
    }

    static final class Tagged extends Money {
        final String tag;
        final int[] parts;

        Tagged(long cents, String tag, int... parts) {
            super(cents, "EUR");
            this.tag = tag;
            this.parts = parts.clone();
        }

        @Override
        public String toString() {
            return super.toString() + "#" + tag + parts.length;
        }
    }

    static final class Ledger {
        private final List<Money> entries = new ArrayList<>();
        private final String owner;

        Ledger(String owner) {
            this.owner = owner;
        }

        Money total() {
            Money t = new Money(0, "EUR");
            for (Money m : entries) {
                t = t.add(m);
            }
            return t;
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Ledger ledger = new Ledger("ann");
        Tagged special = new Tagged(999, "start", 1, 2, 3);
        ledger.entries.add(special);
        for (int round = 0; round < 5 * w; round++) {
            Money m = round % 2 == 0 ? new Money(round * 125 + 1, "EUR") : new Tagged(-round * 10, "t" + round, round);
            ledger.entries.add(m);
            if (ledger.entries.size() > 6) {
                ledger.entries.remove(1);
            }
            Ck.log("round " + round + " m=" + m + " constructed=" + constructed);
            Ck.point("P20 round " + round);
            Money total = ledger.total();
            Ck.log("after " + round + " total=" + total + " special=" + special + " owner=" + ledger.owner
                    + " constructed=" + constructed);
        }
        Ck.done("total=" + ledger.total() + " constructed=" + constructed + " entries=" + ledger.entries);
    }
}
