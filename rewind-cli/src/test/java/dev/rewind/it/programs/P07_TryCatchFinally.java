package dev.rewind.it.programs;

/** try/catch/finally around checkpoint sites (in try, catch and finally; try-with-resources); each finally runs exactly once. */
public final class P07_TryCatchFinally {
    static int finallies;
    static int catches;
    static int closes;
    static final StringBuilder EVENTS = new StringBuilder();

    static final class Res implements AutoCloseable {
        private final String name;

        Res(String name) {
            this.name = name;
            EVENTS.append("open(").append(name).append(')');
        }

        @Override
        public void close() {
            closes++;
            EVENTS.append("close(").append(name).append(')');
            Ck.log("close " + name);
        }
    }

    static int risky(int i) {
        Ck.log("risky " + i + " before");
        Ck.point("P07 risky " + i);
        if (i % 3 == 1) {
            throw new IllegalStateException("boom " + i);
        }
        return i * 10;
    }

    static int once(int i) {
        int result = -1;
        try {
            Ck.log("try " + i);
            result = risky(i);
            Ck.log("try end " + i + " result=" + result);
        } catch (IllegalStateException e) {
            catches++;
            Ck.log("caught " + e.getMessage());
            Ck.point("P07 catch " + i);
            Ck.log("after catch checkpoint " + i);
            result = -i;
        } finally {
            finallies++;
            EVENTS.append('F').append(i);
            Ck.log("finally " + i + " count=" + finallies);
            if (i % 4 == 3) {
                Ck.point("P07 finally " + i);
                Ck.log("after finally checkpoint " + i);
            }
        }
        return result;
    }

    static int withResources(int i) {
        try (Res a = new Res("a" + i); Res b = new Res("b" + i)) {
            Ck.log("twr body " + i + " " + a.name + b.name);
            Ck.point("P07 twr " + i);
            if (i % 2 == 1) {
                throw new UnsupportedOperationException("twr " + i);
            }
            return i;
        } catch (UnsupportedOperationException e) {
            Ck.log("twr caught " + e.getMessage() + " suppressed=" + e.getSuppressed().length);
            return -i;
        } finally {
            finallies++;
            EVENTS.append("T").append(i);
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        long sum = 0;
        int iterations = 0;
        for (int rep = 0; rep < w; rep++) {
            for (int i = 0; i < 4; i++) {
                sum += once(i);
                iterations++;
            }
            for (int i = 0; i < 2; i++) {
                sum += withResources(i);
                iterations++;
            }
            if (EVENTS.length() > 200) {
                EVENTS.delete(0, 100);
            }
        }
        System.out.println("events=" + EVENTS);
        Ck.done("sum=" + sum + " iterations=" + iterations + " finallies=" + finallies
                + " catches=" + catches + " closes=" + closes);
    }
}
