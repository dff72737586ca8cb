package dev.rewind.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import dev.rewind.internal.serial.GraphWriter;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.CheckpointWriter;
import dev.rewind.internal.store.GarbageCollector;
import dev.rewind.internal.store.Published;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Part (d): the checkpoint store measured directly, in one JVM, without the agent: {@code Store.open},
 * {@code run.begin}, {@link GraphWriter}, {@code publish}, waiting for the published future (durable).
 *
 * <ol>
 *   <li><b>arrays</b>: a full checkpoint of 16 {@code double[]} (2 GiB; random doubles from a
 *       xorshift PRNG) vs a FileChannel write + {@code force(true)} of the same byte count in the
 *       store's folder;
 *   <li>the <b>second checkpoint</b> after changing 1 % of the elements in 4 contiguous ranges
 *       (0.25 % of all elements each, in 4 different arrays, at unaligned offsets);
 *   <li><b>object graphs</b> ({@code small}: 10 M small objects in an ArrayList; {@code map}: a
 *       HashMap of 100 k Long → long[16]; {@code graph}: 1 M nodes with 3 random out-edges each,
 *       cycles everywhere) vs Kryo 5 (registration off, references on, Objenesis fallback), written
 *       through a FileChannel-backed stream + {@code force(true)}.
 * </ol>
 *
 * Every rep of a Rewind checkpoint starts from an empty store (the previous run removed and its chunks
 * collected, untimed), since identical content would otherwise be deduplicated; so does every baseline
 * write. Rewind writes large chunk files with direct I/O, which leaves no page-cache memory behind, and
 * on the benchmark VM a buffered write that has to fault in fresh page-cache memory runs at a third of
 * its speed; so each timed FileChannel write of the arrays follows an untimed one of the same bytes
 * (deleted), and is measured at its best. Baseline files are deleted right after they are timed. One untimed warm-up of each kind comes first, then {@code reps}
 * rounds that alternate the order (Rewind first on odd rounds, the baseline first on even ones). The
 * object-graph part runs on a thread with a 1 GiB stack ({@code -Dstorebench.stack=BYTES}) because Kryo
 * recurses along references (the 1 M-node graph overflows a 64 MiB stack).
 *
 * <p>Prints one line per measurement, parsed by {@link BenchDriver}:
 * {@code D <section> <variant> rep=<r> total_ns= write_ns= pause_ns= bytes= added= stored= chunks= cpu_ns= gc_ms= load=}
 * ({@code rep=0}: warm-up, variant prefixed {@code warm-}), and {@code INFO key=value} lines.
 * For Rewind, write_ns ends when GraphWriter.write returned, pause_ns when publish returned, total_ns
 * when the published future completed (chunks, folders and manifest forced). For the baselines,
 * write_ns ends before force and pause_ns = total_ns (they are synchronous).
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens ... -Xmx12g
 *     -cp classes:rewind-core.jar:kryo... dev.rewind.bench.StoreBench DIR REPS [quick] [sections]
 * </pre>
 * DIR must be empty or absent; {@code $REWIND_KEY_FILE} or {@code $XDG_CONFIG_HOME} must be set (so
 * that the user's own key is not used). sections: any of {@code arrays,objects} (default both).
 */
public final class StoreBench {
    private final Path dir;
    private final Path storeDir;
    private final int reps;
    private final boolean quick;
    private final Store store;
    private Run run;
    private int runCount;

    private StoreBench(Path dir, int reps, boolean quick) {
        this.dir = dir;
        this.storeDir = dir.resolve("store");
        this.reps = reps;
        this.quick = quick;
        this.store = Store.open(storeDir, StoreOptions.defaults());
    }

    public static void main(String[] args) throws Exception {
        if (isBlank(System.getenv("REWIND_KEY_FILE")) && isBlank(System.getenv("XDG_CONFIG_HOME"))) {
            System.err.println("StoreBench: set REWIND_KEY_FILE or XDG_CONFIG_HOME to a scratch folder, so that the "
                + "user's own key is not used");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        int reps = Integer.parseInt(args[1]);
        boolean quick = args.length > 2 && args[2].equals("quick");
        String sections = args.length > 3 ? args[3] : "arrays,objects";
        Files.createDirectories(dir);
        StoreBench b = new StoreBench(dir, reps, quick);
        info("write_buffer", String.valueOf(b.store.options().writeBuffer()));
        info("processors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        info("max_heap", String.valueOf(Runtime.getRuntime().maxMemory()));
        if (sections.contains("arrays")) {
            b.arrays();
        }
        if (sections.contains("objects")) {
            // Kryo recurses once per reference level; a random graph's depth-first walk goes ~N deep: on the
            // 1 M-node graph Kryo overflowed 1, 8 and 64 MiB stacks and passed with 256 MiB
            long stack = Long.getLong("storebench.stack", 1L << 30);
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(null, () -> {
                try {
                    b.objects();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, "storebench-objects", stack);
            t.start();
            t.join();
            if (failure[0] != null) {
                failure[0].printStackTrace();
                System.exit(1);
            }
        }
        b.cleanStore();
        System.out.println("DONE");
    }

    // ---------------------------------------------------------------- (1) and (2): primitive arrays

    private void arrays() throws Exception {
        int count = 16;
        int length = quick ? 1 << 19 : 1 << 24; // 4 MiB or 128 MiB per array
        long t0 = System.nanoTime();
        double[][] state = new double[count][];
        long x = 0x9E3779B97F4A7C15L;
        for (int a = 0; a < count; a++) {
            double[] d = new double[length];
            for (int i = 0; i < length; i++) {
                x ^= x << 13; // xorshift64
                x ^= x >>> 7;
                x ^= x << 17;
                d[i] = (x >>> 11) * 0x1.0p-53 * 1000.0;
            }
            state[a] = d;
        }
        long elements = (long) count * length;
        info("arrays", count + " double[" + length + "] = " + elements * 8 + " bytes");
        info("fill_ms", String.valueOf((System.nanoTime() - t0) / 1_000_000));
        Object[] roots = state;
        String[] paths = new String[count];
        for (int a = 0; a < count; a++) {
            paths[a] = "array " + a;
        }
        int rangeLength = (int) (elements / 400); // 4 ranges of 0.25 % = 1 %
        info("change", "4 contiguous ranges of " + rangeLength + " elements (" + rangeLength * 8L + " bytes) in arrays "
            + "1, 5, 9, 13 at pseudo-random unaligned offsets = " + String.format(Locale.ROOT, "%.3f",
                400.0 * rangeLength / elements) + " % of the elements");

        Result warm = rewind(roots, paths, "full", true);
        print("arrays", "warm-rewind-full", 0, warm);
        change(state, rangeLength, 0);
        print("arrays", "warm-rewind-incr", 0, rewind(roots, paths, "incr", false));
        long bytes = warm.bytes;
        cleanStore();
        print("arrays", "warm-filechannel", 0, fileChannel(state, bytes));
        for (int rep = 1; rep <= reps; rep++) {
            if (rep % 2 == 0) {
                cleanStore();
                print("arrays", "filechannel", rep, fileChannel(state, bytes));
            }
            Result full = rewind(roots, paths, "full", true);
            print("arrays", "rewind-full", rep, full);
            change(state, rangeLength, rep);
            print("arrays", "rewind-incr", rep, rewind(roots, paths, "incr", false));
            if (rep % 2 == 1) {
                cleanStore();
                print("arrays", "filechannel", rep, fileChannel(state, bytes));
            }
        }
        cleanStore();
    }

    /** Changes 4 contiguous ranges of {@code rangeLength} elements (every element in them). */
    private static void change(double[][] state, int rangeLength, int rep) {
        long seed = 0x2545F4914F6CDD1DL * (rep + 1);
        for (int k = 0; k < 4; k++) {
            double[] d = state[(1 + 4 * k) % state.length];
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            int start = (int) Math.floorMod(seed, (long) (d.length - rangeLength));
            for (int i = start; i < start + rangeLength; i++) {
                d[i] = d[i] * 0.5 + 1.0;
            }
        }
    }

    /** Writes the arrays' bytes (then zeros up to {@code bytes}) through a 64 KiB direct buffer, forces, deletes. */
    private Result fileChannel(double[][] state, long bytes) throws IOException {
        // Untimed first: the same write, deleted. The page cache then has the memory ready that the
        // timed write needs. Rewind writes its chunks with direct I/O and leaves no page-cache memory
        // behind, and a buffered write that has to fault fresh memory in from the VM runs at a third of
        // its speed here: without this the baseline would be slow whenever it followed a checkpoint.
        Path prime = storeDir.resolve("filechannel-prime.bin");
        FileChannelBaseline.write(prime, state, bytes, 64 << 10);
        Files.delete(prime);
        Path file = storeDir.resolve("filechannel-baseline.bin");
        Meter m = new Meter();
        long[] w = FileChannelBaseline.write(file, state, bytes, 64 << 10);
        long written = w[0];
        long tWritten = w[1];
        Result r = m.end(tWritten, -1, written, 0, 0, 0);
        Files.delete(file);
        return r;
    }

    // ---------------------------------------------------------------- (3): object graphs

    /** A small object: an int, a double and a reference to one of the 64 objects made before it. */
    static final class Small {
        int id;
        double value;
        Small ref;

        Small(int id, double value, Small ref) {
            this.id = id;
            this.value = value;
            this.ref = ref;
        }
    }

    /** A graph node with random out-edges. */
    static final class Node {
        int id;
        Node[] out;

        Node(int id) {
            this.id = id;
        }
    }

    private void objects() throws Exception {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // -Dstorebench.workloads=small,graph runs a subset (for profiling one of them)
        String[] workloads = System.getProperty("storebench.workloads", "small,map,graph").split(",");
        for (String w : workloads) {
            long before = usedHeapAfterGc();
            Object state = build(w);
            long heap = usedHeapAfterGc() - before;
            info("heap_" + w, String.valueOf(heap));
            Object[] roots = {state};
            String[] paths = {w};
            print(w, "warm-rewind", 0, rewind(roots, paths, w, true));
            cleanStore();
            print(w, "warm-kryo", 0, kryo(kryo, state));
            for (int rep = 1; rep <= reps; rep++) {
                if (rep % 2 == 0) {
                    cleanStore();
                    print(w, "kryo", rep, kryo(kryo, state));
                }
                print(w, "rewind", rep, rewind(roots, paths, w, true));
                if (rep % 2 == 1) {
                    cleanStore();
                    print(w, "kryo", rep, kryo(kryo, state));
                }
            }
            cleanStore();
        }
    }

    private Object build(String workload) {
        long x = 0xD1B54A32D192ED03L;
        switch (workload) {
            case "small": {
                int n = quick ? 200_000 : 10_000_000;
                ArrayList<Small> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    Small ref = i == 0 ? null : list.get(i - 1 - (int) ((x >>> 1) % Math.min(i, 64)));
                    list.add(new Small(i, (x >>> 11) * 0x1.0p-53, ref));
                }
                info("objects_small", n + " Small(int, double, ref to one of the 64 before it) in an ArrayList");
                return list;
            }
            case "map": {
                int n = quick ? 10_000 : 100_000;
                HashMap<Long, long[]> map = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    long[] v = new long[16];
                    for (int j = 0; j < v.length; j++) {
                        x ^= x << 13;
                        x ^= x >>> 7;
                        x ^= x << 17;
                        v[j] = x;
                    }
                    map.put(x * 31 + i, v);
                }
                info("objects_map", n + " entries Long -> long[16] (random longs) in a HashMap");
                return map;
            }
            default: {
                int n = quick ? 50_000 : 1_000_000;
                Node[] nodes = new Node[n];
                for (int i = 0; i < n; i++) {
                    nodes[i] = new Node(i);
                }
                for (Node node : nodes) {
                    node.out = new Node[3];
                    for (int j = 0; j < 3; j++) {
                        x ^= x << 13;
                        x ^= x >>> 7;
                        x ^= x << 17;
                        node.out[j] = nodes[(int) ((x >>> 1) % n)];
                    }
                }
                info("objects_graph", n + " Node(int, Node[3] random targets) held by a Node[]");
                return nodes;
            }
        }
    }

    private Result kryo(Kryo kryo, Object state) throws IOException {
        Path file = storeDir.resolve("kryo-baseline.bin");
        Meter m = new Meter();
        long written;
        long tWritten;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Output out = new Output(Channels.newOutputStream(ch), 64 << 10);
            kryo.writeClassAndObject(out, state);
            out.flush();
            written = out.total();
            tWritten = System.nanoTime();
            ch.force(true);
        }
        Result r = m.end(tWritten, -1, written, 0, 0, 0);
        Files.delete(file);
        return r;
    }

    // ---------------------------------------------------------------- Rewind

    /**
     * One checkpoint of {@code roots}: begin, GraphWriter.write, publish, wait for the future.
     *
     * @param fresh start from an empty store (untimed): remove the run and collect its chunks
     */
    private Result rewind(Object[] roots, String[] paths, String label, boolean fresh) throws IOException {
        if (fresh || run == null) {
            cleanStore();
            run = store.createRun(RunInfo.now("run", "StoreBench", List.of("java", "StoreBench"), dir, "storebench"));
            runCount++;
        }
        Meter m = new Meter();
        CheckpointWriter w = run.begin(label);
        try {
            new GraphWriter(w).write(roots, paths);
        } catch (IOException | RuntimeException | Error e) {
            w.abort();
            throw e;
        }
        long tWritten = System.nanoTime();
        var future = w.publish(label.getBytes(StandardCharsets.UTF_8));
        long tPublished = System.nanoTime();
        Published p;
        try {
            p = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("checkpoint failed: " + e.getCause(), e.getCause());
        }
        CheckpointManifest man = p.manifest();
        return m.end(tWritten, tPublished, man.rawSize(), man.addedBytes(), man.storedSize(), man.chunks().size());
    }

    /** Removes the current run and collects every chunk (untimed between reps). */
    private void cleanStore() throws IOException {
        if (run != null) {
            run.removeAll();
            run = null;
        }
        GarbageCollector.collect(store, true);
    }

    // ---------------------------------------------------------------- measuring

    record Result(long totalNs, long writeNs, long pauseNs, long bytes, long added, long stored, int chunks,
            long cpuNs, long gcMs, String load) {
    }

    /** Wall clock, process CPU time and GC time from its creation. */
    private static final class Meter {
        private final long cpu0 = cpuNanos();
        private final long gc0 = gcMillis();
        private final long t0 = System.nanoTime();

        Result end(long tWritten, long tPublished, long bytes, long added, long stored, int chunks) {
            long t1 = System.nanoTime();
            return new Result(t1 - t0, tWritten - t0, tPublished < 0 ? t1 - t0 : tPublished - t0, bytes, added, stored,
                chunks, cpuNanos() - cpu0, gcMillis() - gc0, load());
        }
    }

    private static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
            ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void print(String section, String variant, int rep, Result r) {
        String line = String.format(Locale.ROOT, "D %s %s rep=%d total_ns=%d write_ns=%d pause_ns=%d bytes=%d added=%d "
            + "stored=%d chunks=%d cpu_ns=%d gc_ms=%d load=%s", section, variant, rep, r.totalNs, r.writeNs, r.pauseNs,
            r.bytes, r.added, r.stored, r.chunks, r.cpuNs, r.gcMs, r.load);
        System.out.println(line);
        System.out.flush();
        System.err.println(String.format(Locale.ROOT, "  %-6s %-18s rep %d  %7.3f s  %7.0f MB/s  pause %.3f s  "
            + "added %d  cpu %.2f s  gc %d ms  load %s", section, variant, rep, r.totalNs / 1e9,
            r.bytes * 1e3 / r.totalNs, r.pauseNs / 1e9, r.added, r.cpuNs / 1e9, r.gcMs, r.load));
    }

    private static void info(String key, String value) {
        System.out.println("INFO " + key + "=" + value);
        System.err.println("  " + key + ": " + value);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
