package dev.rewind.it.programs;

/**
 * STRICT: class initialization across a resume. Classes initialized before a checkpoint must not
 * run their static initializers again in the resumed JVM (their initializers print and count);
 * classes first used after a checkpoint must be initialized there, exactly once.
 */
public final class P44_ClassInit {
    static int inits;

    static final class Early {
        static final long STAMP;
        static int value = 10;

        static {
            inits++;
            STAMP = 1234L + inits;
            System.out.println("Early.<clinit> runs (inits=" + inits + ")");
        }
    }

    static final class Late1 {
        static int value = 100;

        static {
            inits++;
            System.out.println("Late1.<clinit> runs (inits=" + inits + ")");
        }
    }

    static final class Late2 {
        static final int[] TABLE;

        static {
            inits++;
            TABLE = new int[] {inits, 7};
            System.out.println("Late2.<clinit> runs (inits=" + inits + ")");
        }
    }

    public static void main(String[] args) {
        int w = Ck.work();
        System.out.println("Early.value=" + Early.value + " stamp=" + Early.STAMP);
        for (int rep = 0; rep < w; rep++) {
            Ck.point("P44 a " + rep);
            Early.value++;
            Ck.log("after a: Early.value=" + Early.value + " inits=" + inits);
            if (rep == w - 1) {
                System.out.println("Late1.value=" + Late1.value);
            }
            Ck.point("P44 b " + rep);
            Late1.value += 2;
            Ck.log("after b: Late1.value=" + Late1.value + " inits=" + inits);
            Ck.point("P44 c " + rep);
            if (rep == w - 1) {
                System.out.println("Late2.TABLE[0]=" + Late2.TABLE[0]);
            }
        }
        Ck.done("Early=" + Early.value + "/" + Early.STAMP + " Late1=" + Late1.value + " Late2=" + Late2.TABLE[0] + ","
                + Late2.TABLE[1] + " inits=" + inits);
    }
}
