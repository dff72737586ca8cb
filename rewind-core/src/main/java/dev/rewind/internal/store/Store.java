package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where runs and their checkpoints live:
 *
 * <pre>
 * STORE/config.properties                     optional bounds (see {@link StoreOptions})
 * STORE/chunks/ab/ab12...                     checkpoint data, content-addressed, shared by all runs
 * STORE/runs/RUN/run.manifest                 what the run is (signed)
 * STORE/runs/RUN/checkpoints/0001-label.ckpt  one checkpoint: metadata and its chunk list (signed)
 * STORE/runs/RUN/writer.lock                  held by the process writing the run
 * STORE/gc.lock                               writers (shared) against the collector (exclusive)
 * </pre>
 *
 * One instance per store folder and JVM ({@link #open}), since the OS locks it holds are per JVM.
 * Folders are 0700, files 0600; every manifest is signed with the user's {@link StoreKey}.
 */
public final class Store {
    private static final Map<List<Path>, Store> OPEN = new ConcurrentHashMap<>();

    private final Path root;
    private final StoreKey key;
    private volatile StoreOptions options;
    private final ChunkStore chunks;
    private final CollectorLock collectorLock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private WritePipeline pipeline;
    private final PieceCache pieces = new PieceCache();

    private Store(Path root, StoreKey key, StoreOptions options) {
        this.root = root;
        this.key = key;
        this.options = options;
        this.chunks = new ChunkStore(root);
        this.collectorLock = CollectorLock.of(root);
    }

    /**
     * @return the store in {@code root} (created on first write), with the user's key and the
     *     given options completed from the store's configuration file; the same instance for the
     *     same folder and key file within a JVM, by whatever path: a later call sets the bounds it
     *     gives (non-zero) and keeps the others, so that a Pipeline opened inside a program under
     *     {@code rewind run} does not undo that program's --keep or --max-size
     */
    public static Store open(Path root, StoreOptions options) {
        Path r = root.toAbsolutePath().normalize();
        StoreOptions effective = options.withConfig(r);
        Path keyFile = StoreKey.defaultFile().toAbsolutePath();
        Store s = OPEN.computeIfAbsent(List.of(DurableFiles.realPath(r), DurableFiles.realPath(keyFile)),
            k -> new Store(r, StoreKey.loadOrCreate(keyFile), effective));
        s.options = s.options.with(effective);
        return s;
    }

    /** @return a store with an explicit key, not shared (tests) */
    static Store openWithKey(Path root, StoreKey key, StoreOptions options) {
        Path r = root.toAbsolutePath().normalize();
        return new Store(r, key, options.withConfig(r));
    }

    /** @return {@code $REWIND_STORE}, else {@code ${XDG_CACHE_HOME:-~/.cache}/rewind} */
    public static Path defaultRoot() {
        String env = System.getenv("REWIND_STORE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("rewind");
    }

    /** @return the store's folder */
    public Path root() {
        return root;
    }

    /** @return the bounds and trust in force */
    public StoreOptions options() {
        return options;
    }

    StoreKey key() {
        return key;
    }

    ChunkStore chunks() {
        return chunks;
    }

    CollectorLock collectorLock() {
        return collectorLock;
    }

    /** @return what this JVM knows of the array pieces it stored here */
    PieceCache pieces() {
        return pieces;
    }

    synchronized WritePipeline pipeline() {
        if (pipeline == null) {
            pipeline = new WritePipeline(this);
        }
        return pipeline;
    }

    /**
     * Waits until every checkpoint handed to the background writer is published or has failed.
     * Called at a clean exit.
     */
    public void awaitWrites() {
        WritePipeline p;
        synchronized (this) {
            p = pipeline;
        }
        if (p != null) {
            p.drain();
        }
    }

    /** Records a new run with a fresh id. */
    public Run createRun(RunInfo info) {
        return createRun(info, null);
    }

    /**
     * @return the run named {@code kind-name} (explicit APIs: one series per state or pipeline
     *     name), created on first use
     */
    public Run namedRun(String kind, String name, RunInfo infoIfNew) {
        String id = kind + "-" + safeName(name);
        Path dir = root.resolve("runs").resolve(id);
        if (Files.isRegularFile(dir.resolve(RunInfo.FILE))) {
            return load(dir);
        }
        return createRun(infoIfNew, id);
    }

    private Run createRun(RunInfo info, String fixedId) {
        Path runs = root.resolve("runs");
        try {
            DurableFiles.privateDirectories(runs);
            for (int attempt = 0; ; attempt++) {
                String id = fixedId != null ? fixedId : RunIdFormat.RUN_ID.format(Instant.now()) + "-"
                    + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
                Path dir = runs.resolve(id);
                try {
                    Files.createDirectory(dir, DurableFiles.PRIVATE_DIR);
                } catch (FileAlreadyExistsException e) {
                    if (fixedId != null && Files.isRegularFile(dir.resolve(RunInfo.FILE))) {
                        return load(dir); // created concurrently
                    }
                    if (fixedId == null && attempt < 10) {
                        continue;
                    }
                    if (fixedId == null) {
                        throw e;
                    }
                }
                DurableFiles.forceDirectory(runs);
                SignedFile.write(dir.resolve(RunInfo.FILE), RunInfo.MAGIC, info.encode(id), key);
                return load(dir);
            }
        } catch (IOException e) {
            throw new RewindException("cannot create a run in store " + root + ": " + e
                + ". Check that the folder is writable and the disk not full, or choose another with --store.", e);
        }
    }

    /** @return every run whose manifest can be read, oldest first; damaged ones are skipped */
    public List<Run> runs() {
        Path dir = root.resolve("runs");
        List<Run> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir)) {
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve(RunInfo.FILE))) {
                    try {
                        out.add(load(d));
                    } catch (CorruptCheckpointException e) {
                        // listed by `rewind ls` through unreadableRuns()
                    }
                }
            }
        } catch (IOException e) {
            throw new RewindException("cannot list store " + root + ": " + e, e);
        }
        out.sort(Comparator.comparing((Run r) -> r.info().started()).thenComparing(Run::id));
        return out;
    }

    /** @return the runs whose manifest cannot be used (damaged, or not signed with the user's key), with why */
    public Map<String, String> unreadableRuns() {
        Map<String, String> out = new java.util.TreeMap<>();
        Path dir = root.resolve("runs");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir)) {
            for (Path d : dirs) {
                if (Files.isDirectory(d)) {
                    try {
                        load(d);
                    } catch (CorruptCheckpointException e) {
                        out.put(d.getFileName().toString(), e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new RewindException("cannot list store " + root + ": " + e, e);
        }
        return out;
    }

    /**
     * @return the run with this id or unique id prefix
     * @throws CorruptCheckpointException when the run's folder exists but its manifest is missing or damaged
     */
    public Run run(String id) {
        Path dir = root.resolve("runs").resolve(id);
        if (!id.isEmpty() && !id.contains("/") && !id.equals(".") && !id.equals("..") && Files.isDirectory(dir)) {
            return load(dir); // names the missing or damaged run manifest, rather than "no run"
        }
        List<Run> matches = new ArrayList<>();
        for (Run r : runs()) {
            if (r.id().startsWith(id)) {
                matches.add(r);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new RewindException(matches.isEmpty() ? "no run '" + id + "' in store " + root + " (see `rewind ls`)"
            : "run id '" + id + "' is ambiguous in store " + root + ": " + matches.size() + " runs start with it");
    }

    /**
     * @return the run in {@code dir}, one instance per run and store
     * @throws CorruptCheckpointException when its manifest is missing, damaged or not signed by
     *     the user (and not trusted)
     */
    Run load(Path dir) {
        String id = dir.getFileName().toString();
        Run known = runs.get(id);
        if (known != null) {
            return known;
        }
        RunInfo info = RunInfo.decode(SignedFile.read(dir.resolve(RunInfo.FILE), RunInfo.MAGIC, RunInfo.WHAT, key,
            options.trust()), dir.resolve(RunInfo.FILE));
        return runs.computeIfAbsent(id, k -> new Run(this, k, dir, info));
    }

    /** Forgets a removed run. */
    void forget(Run run) {
        runs.remove(run.id());
    }

    static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.startsWith(".")) {
            safe = "_" + safe.substring(1);
        }
        return safe.length() > 60 ? safe.substring(0, 60) : safe;
    }

    /**
     * Apart, so that opening a store does not build a formatter: {@code rewind run} opens the store
     * at start, and the formatter's first use costs ~8 ms (it is the JVM's first lambda).
     */
    private static final class RunIdFormat {
        static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    }
}
