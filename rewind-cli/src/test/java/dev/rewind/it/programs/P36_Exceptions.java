package dev.rewind.it.programs;

/**
 * Exceptions after a resume: thrown in the checkpointing frame and caught by a handler in an outer
 * restored frame, an exception object created before the checkpoint and thrown after it (with cause
 * and suppressed), runtime exceptions from the JVM (/ by zero, bounds, cast, NPE) and a custom
 * checked exception carrying state, and an exception created before a checkpoint that gets a
 * suppressed exception after it (Throwable compares its "no suppressed yet" list by identity with
 * a JDK sentinel). Messages are printed, stack traces are not.
 */
public final class P36_Exceptions {
    static final class AppException extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        AppException(String msg, int code, Throwable cause) {
            super(msg, cause);
            this.code = code;
        }
    }

    static int caughtOuter;

    static int inner(int round, int divisor) throws AppException {
        IllegalStateException prepared = new IllegalStateException("prepared in round " + round);
        prepared.addSuppressed(new UnsupportedOperationException("suppressed " + round));
        Ck.log("inner " + round + " before");
        Ck.point("P36 inner " + round);
        Ck.log("inner " + round + " after");
        switch (round % 5) {
            case 0:
                return 100 / divisor; // ArithmeticException when divisor == 0
            case 1:
                throw new AppException("app " + round, round * 3, prepared);
            case 2: {
                int[] small = new int[2];
                return small[round];
            }
            case 3: {
                Object o = "not a number";
                return ((Integer) o) + 1;
            }
            default: {
                String s = round > 1000 ? "x" : null;
                return s.length();
            }
        }
    }

    static int middle(int round) throws AppException {
        try {
            return inner(round, round % 2);
        } catch (ArithmeticException e) {
            Ck.log("middle caught ArithmeticException " + e.getMessage());
            return -1;
        } finally {
            Ck.log("middle finally " + round);
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long h = 0;
        for (int round = 0; round < 6 * w; round++) {
            String outcome;
            try {
                outcome = "value " + middle(round);
            } catch (AppException e) {
                caughtOuter++;
                Throwable c = e.getCause();
                outcome = "AppException " + e.getMessage() + " code=" + e.code + " cause=" + c.getClass().getSimpleName()
                        + ":" + c.getMessage() + " suppressed=" + c.getSuppressed()[0].getMessage();
            } catch (ArrayIndexOutOfBoundsException | ClassCastException e) {
                caughtOuter++;
                outcome = e.getClass().getSimpleName();
            } catch (NullPointerException e) {
                caughtOuter++;
                outcome = "NullPointerException";
            }
            Ck.log("round " + round + " outcome=" + outcome);
            h = Ck.mix(h, outcome);
            RuntimeException early = new RuntimeException("early " + round);
            try {
                Ck.point("P36 before-throw " + round);
                if (round % 2 == 0) {
                    throw new RuntimeException("direct " + round);
                }
            } catch (RuntimeException e) {
                h = Ck.mix(h, e.getMessage());
                Ck.log("direct caught " + e.getMessage());
            }
            String late;
            try {
                early.addSuppressed(new IllegalStateException("late " + round));
                late = early.getMessage() + " suppressed=" + early.getSuppressed().length + " cause=" + early.getCause();
            } catch (RuntimeException e) {
                late = "addSuppressed failed: " + e.getClass().getSimpleName();
            }
            Ck.log("late " + late);
            h = Ck.mix(h, late);
        }
        Ck.done("h=" + Long.toHexString(h) + " caughtOuter=" + caughtOuter);
    }
}
