package dev.rewind.internal.agent;

import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's options: {@code -javaagent:rewind-core.jar=store=DIR,run=ID,resume=FILE,...}. Values
 * are URL-encoded so that paths may contain commas and equals signs.
 *
 * @param store the store's folder, or null for the default
 * @param run the run's id, or null when the program was started with a bare -javaagent
 * @param resume the manifest of the checkpoint to resume from, or null
 * @param trust accept checkpoints not signed with the user's key
 * @param keep checkpoints kept per run, 0 for the store's setting
 * @param maxSize largest checkpoint in bytes, 0 for the store's setting
 * @param quota the store's total size, 0 for the store's setting
 * @param onWriteError {@code "continue"} or {@code "stop"}: what the program does when a checkpoint
 *     cannot be written
 * @param sync whether each checkpoint call waits until its checkpoint is on disk
 * @param newRun whether the agent creates a new run for this program (what {@code rewind run} asks)
 * @param added how many arguments right after the java launcher Rewind inserted into this JVM's
 *     command line; the rest is the user's command, which a new run records
 */
public record AgentOptions(String store, String run, String resume, boolean trust, int keep, long maxSize, long quota,
        String onWriteError, boolean sync, boolean newRun, int added) {
    private static final String KNOWN = "store, run, resume, trust, keep, max-size, quota, on-write-error, sync,"
        + " new-run, added";

    /** @return options naming only the store, run and checkpoint, everything else default */
    public static AgentOptions of(String store, String run, String resume) {
        return new AgentOptions(store, run, resume, false, 0, 0, 0, "continue", false, false, 0);
    }

    /** @return these options for a JVM whose first {@code n} arguments after the launcher are Rewind's */
    public AgentOptions withAdded(int n) {
        return new AgentOptions(store, run, resume, trust, keep, maxSize, quota, onWriteError, sync, newRun, n);
    }

    /** Parses the agent argument string (may be null or empty). */
    public static AgentOptions parse(String args) {
        Map<String, String> m = new LinkedHashMap<>();
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bad Rewind agent option '" + part + "': expected key=value");
                }
                m.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        for (String key : m.keySet()) {
            if (!(", " + KNOWN + ",").contains(", " + key + ",")) {
                throw new IllegalArgumentException("unknown Rewind agent option '" + key + "' (known: " + KNOWN + ")");
            }
        }
        String onError = m.getOrDefault("on-write-error", "continue");
        if (!onError.equals("continue") && !onError.equals("stop")) {
            throw new IllegalArgumentException("--on-write-error must be continue or stop, not '" + onError + "'");
        }
        long keep = number(m.getOrDefault("keep", "0"), "--keep");
        long added = number(m.getOrDefault("added", "0"), "added");
        boolean newRun = Boolean.parseBoolean(m.get("new-run"));
        if (newRun && (m.get("run") != null || m.get("resume") != null)) {
            throw new IllegalArgumentException("the Rewind agent option new-run cannot go with run= or resume=");
        }
        return new AgentOptions(m.get("store"), m.get("run"), m.get("resume"), Boolean.parseBoolean(m.get("trust")),
            (int) keep, StoreOptions.parseSize(m.getOrDefault("max-size", "0"), "--max-size"),
            StoreOptions.parseSize(m.getOrDefault("quota", "0"), "--quota"), onError,
            Boolean.parseBoolean(m.get("sync")), newRun, (int) added);
    }

    private static long number(String value, String name) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number, 0 or more, not '" + value + "'");
    }

    /** @return the argument string that {@link #parse} reads back */
    public String format() {
        StringBuilder sb = new StringBuilder();
        append(sb, "store", store);
        append(sb, "run", run);
        append(sb, "resume", resume);
        append(sb, "trust", trust ? "true" : null);
        append(sb, "keep", keep != 0 ? Integer.toString(keep) : null);
        append(sb, "max-size", maxSize != 0 ? Long.toString(maxSize) : null);
        append(sb, "quota", quota != 0 ? Long.toString(quota) : null);
        append(sb, "on-write-error", "continue".equals(onWriteError) ? null : onWriteError);
        append(sb, "sync", sync ? "true" : null);
        append(sb, "new-run", newRun ? "true" : null);
        append(sb, "added", added != 0 ? Integer.toString(added) : null);
        return sb.toString();
    }

    /** @return the store's folder: the one named, else the default */
    public Path storeRoot() {
        return store == null ? Store.defaultRoot() : Path.of(store);
    }

    /** @return the store options these agent options ask for */
    public StoreOptions storeOptions() {
        return new StoreOptions(keep, maxSize, quota, trust, StoreOptions.DEFAULT_WRITE_BUFFER);
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (value == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
