package dev.rewind.internal.store;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Child process of {@link StoreFaultInjectionTest}: writes checkpoints of {@link FaultContent} into
 * one run of a store, in a loop, until it is killed. The store key comes from
 * {@code $REWIND_KEY_FILE}, as in a real writer.
 *
 * <p>Arguments: store folder, run id, keep (0: all), how often to wait for a checkpoint's
 * publication before going on (0..1; else it waits only for the one before, so that up to two are
 * in flight), most milliseconds of "program work" between checkpoints, random seed (write call
 * sizes, waits and pauses).
 *
 * <p>Prints, one line each: {@code ready PID}, {@code writing K} when checkpoint K begins,
 * {@code publishing K} when its data is handed over, {@code published K} when its future
 * completed, {@code failed K ...} (then exits 3) when it failed, {@code error ...} (then exits 2)
 * when anything else went wrong.
 */
public final class StoreFaultWriter {
    private StoreFaultWriter() {
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String runId = args[1];
        int keep = Integer.parseInt(args[2]);
        double sequential = Double.parseDouble(args[3]);
        int pauseMillis = Integer.parseInt(args[4]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[5]));
        try {
            Store store = Store.open(root, new StoreOptions(keep, 0, 0, false, 64L << 20));
            Run run = store.run(runId);
            say("ready " + ProcessHandle.current().pid());
            CompletableFuture<?> previous = CompletableFuture.completedFuture(null);
            while (true) {
                CheckpointWriter w = run.begin("fault");
                int sequence = w.sequence();
                say("writing " + sequence);
                FaultContent.write(sequence, w, random);
                say("publishing " + sequence);
                CompletableFuture<?> announced = w.publish(FaultContent.meta(sequence)).whenComplete((p, t) -> {
                    if (t == null) {
                        say("published " + sequence);
                    } else {
                        say("failed " + sequence + " " + (t instanceof CompletionException ? t.getCause() : t));
                        Runtime.getRuntime().halt(3);
                    }
                });
                if (random.nextDouble() < sequential) {
                    announced.join();
                } else {
                    previous.join();
                }
                previous = announced;
                if (pauseMillis > 0) {
                    Thread.sleep(random.nextInt(pauseMillis + 1)); // the program's own work between checkpoints
                }
            }
        } catch (Throwable t) {
            say("error " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(2);
        }
    }
}
