package dev.rewind.examples.state;

import dev.rewind.StateCheckpoint;
import java.math.BigInteger;

/**
 * N! computed by an object whose fields are its state, saved after every step with an explicit
 * checkpoint. No agent, no {@code rewind run}: kill it at any moment and start it again, and it
 * goes on from the last saved step and prints the same last line as an uninterrupted run.
 *
 * <pre>
 *   java -cp rewind-core/target/rewind-core-*.jar:examples/target/classes dev.rewind.examples.state.Factorial 2000
 *   (Ctrl-C, kill -9 or kill it; then run the same command again)
 * </pre>
 *
 * Arguments: N (default 2000) and a pause in milliseconds per step (default 2), so that there is
 * time to interrupt it.
 */
public final class Factorial {
    private final int n;
    /** The next factor. */
    private int next = 1;
    private BigInteger product = BigInteger.ONE;

    private Factorial(int n) {
        this.n = n;
    }

    private boolean done() {
        return next > n;
    }

    private void step() {
        product = product.multiply(BigInteger.valueOf(next));
        next++;
    }

    private int stepsDone() {
        return next - 1;
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long pauseMillis = args.length > 1 ? Long.parseLong(args[1]) : 2;
        try (StateCheckpoint<Factorial> ck = StateCheckpoint.open("factorial-" + n, Factorial.class,
                () -> new Factorial(n))) {
            Factorial f = ck.state();
            System.out.println(ck.resumed() ? "resumed at step " + f.stepsDone() : "starting");
            while (!f.done()) {
                synchronized (ck.lock()) { // SIGTERM saves from another thread: keep it from seeing half a step
                    f.step();
                }
                Thread.sleep(pauseMillis);
                System.out.println("saving step " + f.stepsDone());
                ck.save();
                System.out.println("saved step " + f.stepsDone());
            }
            String digits = f.product.toString();
            System.out.println(n + "! has " + digits.length() + " digits: " + digits.substring(0, Math.min(12, digits.length())) + "..."
                + f.product.mod(BigInteger.valueOf(1_000_000_007)) + " (mod 1e9+7)");
        }
    }
}
