package dev.rewind.it.programs;

/**
 * Monitors held across a checkpoint: a synchronized block, a synchronized instance method, a
 * static synchronized method and a reentrant (twice entered) block. After the checkpoint
 * Thread.holdsLock must be true, and the monitors must be released normally afterwards.
 */
@ProgramSpec(hotEvery = 9973, hotWork = 20000, hotMethods = "P27_Synchronized$Counter::inc|P27_Synchronized::main")
public final class P27_Synchronized {
    static final Object LOCK = new Object();
    static int staticHits;

    static final class Counter {
        private int value;

        synchronized int inc(int by) {
            value += by;
            Ck.log("inc " + by + " holds=" + Thread.holdsLock(this));
            Ck.point("P27 inc " + by);
            Ck.log("inc resumed holds=" + Thread.holdsLock(this) + " value=" + value);
            return value;
        }
    }

    static synchronized void staticSync(int round) {
        staticHits++;
        Ck.log("static " + round + " holds=" + Thread.holdsLock(P27_Synchronized.class));
        Ck.point("P27 static " + round);
        Ck.log("static resumed " + round + " holds=" + Thread.holdsLock(P27_Synchronized.class));
    }

    public static void main(String[] args) {
        int w = Ck.work();
        Object local = new Object();
        Counter counter = new Counter();
        long h = 0;
        for (int round = 0; round < 2 * w; round++) {
            synchronized (local) {
                Ck.log("block " + round + " before holds=" + Thread.holdsLock(local));
                Ck.point("P27 block " + round);
                Ck.log("block " + round + " after holds=" + Thread.holdsLock(local));
            }
            Ck.log("block released=" + !Thread.holdsLock(local));
            synchronized (LOCK) {
                synchronized (LOCK) {
                    Ck.point("P27 reentrant " + round);
                    Ck.log("reentrant holds=" + Thread.holdsLock(LOCK));
                }
                Ck.log("outer still holds=" + Thread.holdsLock(LOCK));
            }
            Ck.log("LOCK released=" + !Thread.holdsLock(LOCK));
            synchronized (counter) {
                h = Ck.mix(h, counter.inc(round + 1));
            }
            Ck.log("counter released=" + !Thread.holdsLock(counter));
            staticSync(round);
            Ck.log("class lock released=" + !Thread.holdsLock(P27_Synchronized.class));
        }
        Ck.done("value=" + counter.value + " staticHits=" + staticHits + " h=" + Long.toHexString(h)
                + " heldAtEnd=" + (Thread.holdsLock(local) || Thread.holdsLock(LOCK) || Thread.holdsLock(counter)));
    }
}
