package dev.rewind.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.serial.GraphWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large array is read back from the store straight into the array: the reader confirms its length
 * against the chunk stream's exact {@code available()} instead of reading it ahead into a buffer of
 * its own. Checked in a child JVM whose heap holds the array once but not twice; before the fix, a
 * 1 GiB double[] could not be resumed in a 3 GiB heap.
 */
class StoreLargeReadTest {
    private static final int ELEMENTS = 12 << 20; // 96 MiB of doubles

    @TempDir
    Path tmp;

    @Test
    void aLargeArrayIsReadInAHeapThatHoldsItOnce() throws Exception {
        Path key = tmp.resolve("key");
        Store store = Store.openWithKey(tmp.resolve("store"), StoreKey.loadOrCreate(key), StoreOptions.defaults());
        Run run = store.createRun(RunInfo.now("run", "LargeRead", List.of("java", "LargeRead"), tmp, ""));
        CheckpointWriter w = run.begin("big");
        new GraphWriter(w).write(new Object[] {values()}, new String[] {"big"});
        w.publish(new byte[0]).get();

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx160m", "-Drewind.keyFile=" + key, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            Reader.class.getName(), tmp.resolve("store").toString(), run.id()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("READ OK"), out);
    }

    static double[] values() {
        double[] a = new double[ELEMENTS];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0.25 + Math.sin(i); // not compressible, so chunks are stored raw as well as compressed
        }
        return a;
    }

    /** The child JVM: reads the checkpoint back and compares it. */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            Run run = Store.open(Path.of(args[0]), StoreOptions.defaults()).run(args[1]);
            CheckpointManifest m = run.manifest(run.checkpoints().get(0));
            Object[] roots;
            try (java.io.InputStream in = run.open(m)) {
                roots = new GraphReader(in, name -> Class.forName(name, false, Reader.class.getClassLoader())).read();
            }
            double[] back = (double[]) roots[0];
            for (int i = 0; i < back.length; i++) {
                if (back[i] != i * 0.25 + Math.sin(i)) {
                    System.out.println("MISMATCH at " + i);
                    System.exit(1);
                }
            }
            System.out.println(back.length == ELEMENTS ? "READ OK" : "WRONG LENGTH " + back.length);
        }
    }
}
