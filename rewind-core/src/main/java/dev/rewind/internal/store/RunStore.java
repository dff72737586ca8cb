package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where runs and their checkpoints live:
 *
 * <pre>
 * STORE/runs/RUN/run.properties           command line, working directory, JDK, start time
 * STORE/runs/RUN/checkpoints/0001-label.ckpt
 * </pre>
 *
 * Folders are created private to the user (0700). The store issue replaces the one-file
 * checkpoints with content-addressed chunks behind the same boundary.
 */
public final class RunStore {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneOffset.UTC);
    private final Path root;

    /** @param root the store's folder (created on first write) */
    public RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
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

    /** Records a new run: its command line and working directory. */
    public Run createRun(List<String> command, Path workingDirectory) {
        Path runs = root.resolve("runs");
        try {
            privateDirectories(runs);
            for (int attempt = 0; ; attempt++) {
                String id = RUN_ID.format(Instant.now()) + "-" + String.format("%04x",
                    ThreadLocalRandom.current().nextInt(0x10000));
                Path dir = runs.resolve(id);
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    if (attempt < 10) {
                        continue;
                    }
                    throw e;
                }
                Properties p = new Properties();
                p.setProperty("command.count", Integer.toString(command.size()));
                for (int i = 0; i < command.size(); i++) {
                    p.setProperty("command." + i, command.get(i));
                }
                p.setProperty("cwd", workingDirectory.toAbsolutePath().toString());
                p.setProperty("started", Instant.now().toString());
                p.setProperty("jdk", System.getProperty("java.version"));
                Path tmp = dir.resolve(".run.properties.tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(out, "Rewind run");
                }
                Files.move(tmp, dir.resolve("run.properties"), StandardCopyOption.ATOMIC_MOVE);
                return load(dir);
            }
        } catch (IOException e) {
            throw new RewindException("cannot create a run in store " + root + ": " + e.getMessage()
                + ". Check that the folder is writable, or choose another with --store.", e);
        }
    }

    /** @return every run, oldest first */
    public List<Run> runs() {
        Path runs = root.resolve("runs");
        List<Run> out = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs)) {
            for (Path dir : dirs) {
                if (Files.isRegularFile(dir.resolve("run.properties"))) {
                    out.add(load(dir));
                }
            }
        } catch (IOException e) {
            throw new RewindException("cannot list store " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Run::started).thenComparing(Run::id));
        return out;
    }

    /** @return the run with this id (or unique id prefix) */
    public Run run(String id) {
        Path dir = root.resolve("runs").resolve(id);
        if (Files.isRegularFile(dir.resolve("run.properties"))) {
            return load(dir);
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

    /** @return the run a folder holds */
    public static Run load(Path dir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("run.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new RewindException("cannot read run " + dir + ": " + e.getMessage(), e);
        }
        int n = Integer.parseInt(p.getProperty("command.count", "0"));
        List<String> command = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            command.add(p.getProperty("command." + i, ""));
        }
        return new Run(dir.getFileName().toString(), dir, command, Path.of(p.getProperty("cwd", ".")),
            Instant.parse(p.getProperty("started", Instant.EPOCH.toString())), p.getProperty("jdk", "?"));
    }

    static void privateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            privateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // created concurrently: fine
        }
    }
}
