package dev.rewind.internal.steps;

import dev.rewind.CheckpointRefusedException;
import dev.rewind.RewindException;
import dev.rewind.internal.serial.GraphWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash of a step's inputs: SHA-256 of the inputs as {@link GraphWriter#forHashing} serializes them, so
 * that inputs with the same content (same classes, same field values, same sharing) hash the same
 * whatever their identity, and any change of content changes the hash.
 *
 * <p>Hash-based collections are written in their iteration order; the same JDK gives the same order
 * for the same content built the same way, so in practice only a change of JDK or of insertion
 * history across a resize can change the hash of an equal HashMap, which then only re-runs the
 * step. A value whose class has an identity-based {@code hashCode} is written by content, not by
 * hash, so it hashes the same in every run.
 *
 * <p>Values captured by a lambda step body count as inputs too (a step {@code () -> load(path)}
 * runs again when {@code path} changes); a captured value that cannot be serialized (say the
 * enclosing object holding a thread) counts by its class name only, and a note says so.
 */
public final class ValueHash {
    private ValueHash() {
    }

    /**
     * What went into a hash.
     *
     * @param hash lower-case hex SHA-256
     * @param captured the values captured by the step body, in order (for dependency tracking)
     * @param notes remarks for the user: captured values hashed by class name only
     */
    public record Result(String hash, List<Object> captured, List<String> notes) {
    }

    /**
     * @param step the step's name, for messages
     * @param inputs the step's explicit inputs
     * @param body the step body, whose captured values are hashed too
     * @return the hash of the inputs and captured values
     * @throws CheckpointRefusedException when an explicit input cannot be serialized (the message names
     *     the input and the path to the object)
     */
    public static Result of(String step, List<?> inputs, Object body) {
        MessageDigest total = sha256();
        List<String> notes = new ArrayList<>();
        String[] paths = new String[inputs.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = "step '" + step + "' → input " + (i + 1);
        }
        write(total, inputs.toArray(), paths);
        List<Object> captured = CapturedValues.of(body);
        for (int i = 0; i < captured.size(); i++) {
            Object v = captured.get(i);
            MessageDigest one = sha256();
            try {
                write(one, new Object[] {v}, new String[] {"step '" + step + "' → captured value " + (i + 1)});
                total.update((byte) 'v');
                total.update(one.digest());
            } catch (CheckpointRefusedException e) {
                String type = v.getClass().isHidden() ? "a lambda" : v.getClass().getName();
                total.update((byte) 'c');
                total.update(type.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                notes.add("captured value " + (i + 1) + " (" + type + ") cannot be serialized, so a change in it does"
                    + " not re-run the step; pass it as a step input if it matters: " + firstLine(e.getMessage()));
            }
        }
        return new Result(HexFormat.of().formatHex(total.digest()), captured, notes);
    }

    private static void write(MessageDigest digest, Object[] roots, String[] paths) {
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            GraphWriter.forHashing(out).write(roots, paths);
        } catch (IOException e) {
            throw new RewindException("cannot hash step inputs: " + e, e); // a digest stream does not fail
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
