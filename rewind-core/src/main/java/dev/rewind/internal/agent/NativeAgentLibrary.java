package dev.rewind.internal.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the native JVMTI agent {@code librewind-jvmti.so} shipped inside the rewind-core jar (built by
 * the antrun step of rewind-core/pom.xml from src/main/c/rewind_jvmti.c, Linux x86_64/aarch64 only),
 * extracts it once to {@code ${XDG_CACHE_HOME:-~/.cache}/rewind/native/<sha256 prefix>/} (or
 * {@code -Drewind.native.cacheDir=<dir>/<sha256 prefix>/}) and tells a
 * launcher which JVM options to add: {@code -agentpath:<path>} when the library is available (see
 * {@code dev.rewind.internal.capture.EscapeBarrier}), else {@code -XX:-EliminateAllocations}.
 */
public final class NativeAgentLibrary {

    public static final String LIBRARY_NAME = "librewind-jvmti.so";

    /**
     * Frames from the top of the stack the escape barrier covers. HotSpot's GetOwnedMonitorInfo calls
     * {@code EscapeBarrier::deoptimize_objects(MaxJavaStackTraceDepth)}: compiled frames deeper than
     * that keep scalar-replaced objects null and eliminated locks unowned. The default is 1024 on
     * JDK 17 and 25, and EscapeBarrierTest measured the edge exactly there (a scalar-replaced object
     * 1010 frames below the capture point is restored, 1030 frames below reads null), so a capture
     * inside a 1,000-deep recursion is at the limit before counting the caller's and Rewind's frames.
     * 65536 covers a whole default-sized thread stack (tiny recursive frames overflow a default stack
     * at ~21,000-59,000 frames on JDK 17/25 here), i.e. recursion 1,000 deep with up to 65 frames per
     * level. The flag also caps how many frames a Throwable records, so the price is paid only by
     * exceptions thrown more than 1024 frames deep (measured on JDK 17: a StackOverflowError with
     * getStackTrace() costs ~4.0 ms instead of ~2.9 ms; an exception 20,000 frames deep ~4 ms instead
     * of ~0.25 ms); shallower exceptions cost the same. Capture should still refuse or warn when the
     * stack is deeper than {@code EscapeBarrier.coveredDepth()}.
     */
    public static final int MAX_JAVA_STACK_TRACE_DEPTH = 65536;
    /** The JVM option that sets {@link #MAX_JAVA_STACK_TRACE_DEPTH}; it goes with the native agent. */
    public static final String STACK_DEPTH_OPTION = "-XX:MaxJavaStackTraceDepth=" + MAX_JAVA_STACK_TRACE_DEPTH;

    /** Fallback when the agent is unavailable: C2 then keeps every object on the heap. */
    public static final List<String> FALLBACK_OPTIONS = List.of("-XX:-EliminateAllocations");

    private static volatile Result cached;

    private NativeAgentLibrary() {
    }

    /** Result of locating/extracting the library: exactly one of path and reason is non-null. */
    private static final class Result {
        final Path path;
        final String reason;

        Result(Path path, String reason) {
            this.path = path;
            this.reason = reason;
        }
    }

    /**
     * The class-path resource of the library for this OS/arch, or empty when Rewind ships none for it.
     */
    public static Optional<String> resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return Optional.empty();
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
                arch = "x86_64";
                break;
            case "aarch64":
            case "arm64":
                arch = "aarch64";
                break;
            default:
                return Optional.empty();
        }
        return Optional.of("/dev/rewind/internal/native/linux-" + arch + "/" + LIBRARY_NAME);
    }

    /** Absolute path of the extracted library, extracting it on first call; empty when unavailable. */
    public static Optional<Path> find() {
        return Optional.ofNullable(result().path);
    }

    /** Why {@link #find()} is empty; empty when the library is available. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(result().reason);
    }

    /**
     * JVM options a launcher must add to a program that Rewind captures: the agent and a raised
     * MaxJavaStackTraceDepth, or the {@link #FALLBACK_OPTIONS} when the library is unavailable
     * (then {@link #warning()} says why).
     */
    public static List<String> jvmOptions() {
        Result r = result();
        if (r.path != null) {
            return List.of("-agentpath:" + r.path, STACK_DEPTH_OPTION);
        }
        return FALLBACK_OPTIONS;
    }

    /** A warning for the user when {@link #jvmOptions()} had to fall back; empty otherwise. */
    public static Optional<String> warning() {
        Result r = result();
        if (r.reason == null) {
            return Optional.empty();
        }
        return Optional.of("rewind: native JVMTI agent unavailable (" + r.reason + "); running with "
                + String.join(" ", FALLBACK_OPTIONS) + ", which is slower on allocation-heavy code");
    }

    private static Result result() {
        Result r = cached;
        if (r == null) {
            synchronized (NativeAgentLibrary.class) {
                r = cached;
                if (r == null) {
                    r = locate(cacheRoot());
                    cached = r;
                }
            }
        }
        return r;
    }

    /** System property naming the extraction folder instead of {@code ~/.cache/rewind/native} (tests, read-only homes). */
    public static final String CACHE_DIR_PROPERTY = "rewind.native.cacheDir";

    /**
     * {@code -Drewind.native.cacheDir}, else {@code $XDG_CACHE_HOME/rewind/native}, else
     * {@code ~/.cache/rewind/native}; null if none is known.
     */
    static Path cacheRoot() {
        String override = System.getProperty(CACHE_DIR_PROPERTY);
        if (override != null && !override.isEmpty()) {
            return Paths.get(override).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base;
        if (xdg != null && !xdg.isEmpty() && Paths.get(xdg).isAbsolute()) { // XDG: ignore relative values
            base = Paths.get(xdg);
        } else {
            String home = System.getProperty("user.home");
            if (home == null || home.isEmpty() || "?".equals(home)) {
                return null;
            }
            base = Paths.get(home, ".cache");
        }
        return base.resolve("rewind").resolve("native");
    }

    private static Result locate(Path cacheRoot) {
        Optional<String> resource = resourceName();
        if (resource.isEmpty()) {
            return new Result(null, "no native agent for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " (Linux x86_64 and aarch64 only)");
        }
        byte[] bytes;
        try (InputStream in = NativeAgentLibrary.class.getResourceAsStream(resource.get())) {
            if (in == null) {
                return new Result(null, "this rewind-core build ships no " + resource.get()
                        + " (built without gcc?)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return new Result(null, "cannot read " + resource.get() + ": " + e);
        }
        if (cacheRoot == null) {
            return new Result(null, "no cache directory (neither XDG_CACHE_HOME nor user.home is set)");
        }
        try {
            Path path = extract(bytes, cacheRoot);
            if (path.toString().indexOf('=') >= 0) { // -agentpath:<path>=<options> would split it
                return new Result(null, "cache path contains '=': " + path);
            }
            return new Result(path, null);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return new Result(null, "cannot extract " + LIBRARY_NAME + " to " + cacheRoot + ": " + e);
        }
    }

    /**
     * Writes {@code bytes} to {@code <cacheRoot>/<sha256 prefix>/librewind-jvmti.so} unless an
     * identical file is already there; temp file + atomic rename, so concurrent launchers never see
     * a partial library. Public for tests; use {@link #find()}.
     */
    public static Path extract(byte[] bytes, Path cacheRoot) throws IOException {
        String hash = sha256(bytes);
        Path dir = cacheRoot.resolve(hash.substring(0, 16)).toAbsolutePath();
        Path target = dir.resolve(LIBRARY_NAME);
        if (Files.isRegularFile(target) && hash.equals(sha256(Files.readAllBytes(target)))) {
            return target;
        }
        createPrivateDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + LIBRARY_NAME + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            if (posix()) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-x------"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Creates missing directories up to {@code dir}; the ones under ~/.cache that we create get 0700. */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            if (posix()) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
