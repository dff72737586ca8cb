package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a run's manifest says about it. Stored signed as {@code runs/RUN/run.manifest}, its body a
 * properties text so that a person can read it.
 *
 * @param kind {@code "run"} for programs under {@code rewind run}, {@code "state"} and
 *     {@code "pipeline"} for the explicit APIs
 * @param name the program's main class or jar, or the state's or pipeline's name
 * @param command the java command line, as given to {@code rewind run} after {@code --} (empty for
 *     the explicit APIs)
 * @param workingDirectory where it was started
 * @param jdk the JDK version that started it
 * @param host the machine it was started on
 * @param started when
 * @param codeFingerprint a hash of the program's class path (jar and class file sizes and times),
 *     to warn when a resume runs other code; empty when unknown
 */
public record RunInfo(String kind, String name, List<String> command, Path workingDirectory, String jdk, String host,
        Instant started, String codeFingerprint) {
    static final int MAGIC = 0x5257524E; // "RWRN"
    static final String FILE = "run.manifest";
    static final String WHAT = "run manifest";

    /** @return the description of a run starting now in this JVM */
    public static RunInfo now(String kind, String name, List<String> command, Path workingDirectory,
            String codeFingerprint) {
        return new RunInfo(kind, name, List.copyOf(command), workingDirectory.toAbsolutePath(),
            System.getProperty("java.version"), Hosts.name(), Instant.now(), codeFingerprint);
    }

    byte[] encode() {
        return encode(null);
    }

    /**
     * @param runId the id of the run it describes, recorded so that a manifest copied into another run's
     *     folder is refused; null to leave it out
     */
    byte[] encode(String runId) {
        Properties p = new Properties();
        if (runId != null) {
            p.setProperty("run", runId);
        }
        p.setProperty("kind", kind);
        p.setProperty("name", name);
        p.setProperty("command.count", Integer.toString(command.size()));
        for (int i = 0; i < command.size(); i++) {
            p.setProperty("command." + i, command.get(i));
        }
        p.setProperty("cwd", workingDirectory.toString());
        p.setProperty("jdk", jdk);
        p.setProperty("host", host);
        p.setProperty("started", started.toString());
        p.setProperty("code", codeFingerprint);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "Rewind run");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param file where the body was read, {@code runs/RUN/run.manifest}: a body that names another run is
     *     refused
     * @throws CorruptCheckpointException when it does not decode, or belongs to another run
     */
    static RunInfo decode(byte[] body, Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(body, StandardCharsets.UTF_8)));
            String run = p.getProperty("run");
            Path folder = file == null ? null : file.toAbsolutePath().getParent();
            if (run != null && folder != null && folder.getFileName() != null
                    && !run.equals(folder.getFileName().toString())) {
                throw new CorruptCheckpointException(WHAT + " " + file + " says it describes run " + run
                    + ": it was moved or copied from elsewhere.");
            }
            int n = Integer.parseInt(p.getProperty("command.count", "0"));
            if (n < 0 || n > 100_000) {
                throw new NumberFormatException("command.count " + n);
            }
            List<String> command = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                command.add(p.getProperty("command." + i, ""));
            }
            return new RunInfo(p.getProperty("kind", "run"), p.getProperty("name", ""), List.copyOf(command),
                Path.of(p.getProperty("cwd", ".")), p.getProperty("jdk", "?"), p.getProperty("host", "?"),
                Instant.parse(p.getProperty("started", Instant.EPOCH.toString())), p.getProperty("code", ""));
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException(WHAT + " " + file + " is damaged: " + e.getMessage() + ".", e);
        }
    }
}
