package dev.rewind.internal.steps;

import dev.rewind.CorruptCheckpointException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a pipeline step's checkpoint says about the step, kept as the checkpoint manifest's metadata:
 * a properties text that a person can read, starting with {@code format=rewind-step/1}. A step that
 * threw is recorded too (outcome {@code failed}, no result), so that {@code rewind steps} can say so.
 *
 * @param pipeline the pipeline's name
 * @param step the step's name (the checkpoint's label)
 * @param position how many steps the pipeline had called before this one in its run (for ordering)
 * @param codeHash {@link CodeFingerprint} of the step body
 * @param methods the methods that went into the code hash, for {@code rewind steps --verbose}
 * @param inputHash {@link ValueHash} of the step's inputs and captured values
 * @param dependencies names of the earlier steps whose results were among the inputs, in order
 * @param durationMillis how long the step body ran
 * @param resultClass the result's class name, {@code null} for a null result, empty when failed
 * @param outcome {@code ran} (a result is stored) or {@code failed} (the body threw; no result)
 * @param reason why the step ran: "first run", "code changed", "input changed", ...
 * @param error for a failed step, the exception; empty otherwise
 * @param notes remarks for the user, e.g. captured values that could not be hashed
 */
public record StepMeta(String pipeline, String step, int position, String codeHash, List<String> methods, String inputHash,
        List<String> dependencies, long durationMillis, String resultClass, String outcome, String reason,
        String error, List<String> notes) {
    /** The format tag on the first property; a tag the reader does not know is refused. */
    public static final String FORMAT = "rewind-step/1";
    /** Outcome of a step that returned a result. */
    public static final String RAN = "ran";
    /** Outcome of a step whose body threw. */
    public static final String FAILED = "failed";

    /** @return whether a result is stored with this step */
    public boolean hasResult() {
        return RAN.equals(outcome);
    }

    /** @return the metadata bytes for the checkpoint manifest */
    public byte[] encode() {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("pipeline", pipeline);
        p.setProperty("step", step);
        p.setProperty("position", Integer.toString(position));
        p.setProperty("code", codeHash);
        putList(p, "method", methods);
        p.setProperty("input", inputHash);
        putList(p, "dependency", dependencies);
        p.setProperty("durationMillis", Long.toString(durationMillis));
        if (resultClass != null) {
            p.setProperty("resultClass", resultClass);
        }
        p.setProperty("outcome", outcome);
        p.setProperty("reason", reason);
        p.setProperty("error", error);
        putList(p, "note", notes);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "Rewind pipeline step");
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param where names the checkpoint in error messages
     * @return the metadata of a step checkpoint
     * @throws CorruptCheckpointException when the bytes are not step metadata of a known format
     */
    public static StepMeta decode(byte[] meta, String where) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(meta, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptCheckpointException(where + " has damaged step metadata: " + e.getMessage());
        }
        String format = p.getProperty("format");
        if (!FORMAT.equals(format)) {
            throw new CorruptCheckpointException(where + " is not a pipeline step of a format this Rewind knows ("
                + (format == null ? "no format tag" : "format " + format) + ", expected " + FORMAT
                + "): it was written by another version of Rewind, or by another API");
        }
        try {
            return new StepMeta(p.getProperty("pipeline", ""), p.getProperty("step", ""),
                Integer.parseInt(p.getProperty("position", "0")), p.getProperty("code", ""),
                getList(p, "method"), p.getProperty("input", ""), getList(p, "dependency"),
                Long.parseLong(p.getProperty("durationMillis", "0")), p.getProperty("resultClass"),
                p.getProperty("outcome", ""), p.getProperty("reason", ""), p.getProperty("error", ""),
                getList(p, "note"));
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(where + " has damaged step metadata: " + e.getMessage());
        }
    }

    private static void putList(Properties p, String key, List<String> values) {
        p.setProperty(key + ".count", Integer.toString(values.size()));
        for (int i = 0; i < values.size(); i++) {
            p.setProperty(key + "." + i, values.get(i));
        }
    }

    private static List<String> getList(Properties p, String key) {
        int n = Integer.parseInt(p.getProperty(key + ".count", "0"));
        if (n < 0 || n > 1_000_000) {
            throw new NumberFormatException(key + ".count " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(p.getProperty(key + "." + i, ""));
        }
        return List.copyOf(out);
    }
}
