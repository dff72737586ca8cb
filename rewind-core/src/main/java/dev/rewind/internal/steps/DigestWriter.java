package dev.rewind.internal.steps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest fed with typed, self-delimiting values. Every string carries its length and
 * every record starts with a tag, so that two different sequences of values can never produce the
 * same byte stream (for example "ab"+"c" and "a"+"bc").
 */
final class DigestWriter {
    private final MessageDigest digest;
    private final byte[] scratch = new byte[8];

    DigestWriter() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Starts a record (or marks a variant) with a one-character tag. */
    DigestWriter tag(char tag) {
        digest.update((byte) tag);
        return this;
    }

    DigestWriter i32(int v) {
        for (int i = 0; i < 4; i++) {
            scratch[i] = (byte) (v >>> (24 - 8 * i));
        }
        digest.update(scratch, 0, 4);
        return this;
    }

    DigestWriter i64(long v) {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (56 - 8 * i));
        }
        digest.update(scratch, 0, 8);
        return this;
    }

    /** Writes a string, or a distinct marker for null (a catch-all handler has no type). */
    DigestWriter str(String s) {
        if (s == null) {
            return i32(-1);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        i32(bytes.length);
        digest.update(bytes);
        return this;
    }

    /** @return the lower-case hex digest; the writer must not be used afterwards */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
