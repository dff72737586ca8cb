package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-user secret that signs every manifest of the store (HMAC-SHA256). Loading a checkpoint
 * instantiates classes and sets their fields, so a checkpoint must come from this user's own Rewind:
 * a manifest whose signature does not verify under this key is refused unless the user trusts it
 * explicitly.
 *
 * <p>The key is 32 random bytes in {@code ${XDG_CONFIG_HOME:-~/.config}/rewind/key} (or
 * {@code $REWIND_KEY_FILE}), created 0600 on first use. A key file readable by others is refused.
 */
public final class StoreKey {
    static final int LENGTH = 32;
    private final byte[] key;
    private final Path file;

    private StoreKey(byte[] key, Path file) {
        this.key = key;
        this.file = file;
    }

    /**
     * @return the system property {@code rewind.keyFile}, else {@code $REWIND_KEY_FILE}, else
     *     {@code ${XDG_CONFIG_HOME:-~/.config}/rewind/key}
     */
    public static Path defaultFile() {
        String property = System.getProperty("rewind.keyFile");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String explicit = System.getenv("REWIND_KEY_FILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("rewind").resolve("key");
    }

    /**
     * Loads the key, creating it on first use.
     *
     * @throws RewindException when the file cannot be read or created, or is readable by others
     */
    public static StoreKey loadOrCreate(Path file) {
        try {
            try {
                return load(file);
            } catch (NoSuchFileException e) {
                DurableFiles.privateDirectories(file.getParent());
                byte[] fresh = new byte[LENGTH];
                new SecureRandom().nextBytes(fresh);
                try {
                    Path tmp = file.resolveSibling(DurableFiles.TEMP_PREFIX + ProcessHandle.current().pid() + "-key");
                    Files.deleteIfExists(tmp);
                    // created 0600 before the secret goes in: written first and restricted after, it would be
                    // readable by others for a moment (and stay so if the process died in between)
                    Files.createFile(tmp, DurableFiles.PRIVATE_FILE);
                    Files.write(tmp, fresh);
                    Files.setPosixFilePermissions(tmp, Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE));
                    // a link, not a rename: when two processes create the key at once, the first one wins
                    // and the other reads the winner's key
                    try {
                        Files.createLink(file, tmp);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // fall through to load the other process's key
                }
                return load(file);
            }
        } catch (NoSuchFileException e) {
            throw new RewindException("cannot create the signing key " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RewindException("cannot read or create the signing key " + file + ": " + e
                + ". Check the folder's permissions, or point REWIND_KEY_FILE at a writable place.", e);
        }
    }

    private static StoreKey load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new RewindException("the signing key " + file + " is readable by other users, so anyone could sign "
                + "a checkpoint as you. Run `chmod 600 " + file + "` (or delete it to make a new key; checkpoints "
                + "signed with the old key then need --trust).");
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != LENGTH) {
            throw new RewindException("the signing key " + file + " is " + key.length + " bytes long, not " + LENGTH
                + ": it was damaged. Delete it to make a new key; existing checkpoints then need --trust.");
        }
        return new StoreKey(key, file);
    }

    /** @return a key that is not stored anywhere (tests) */
    static StoreKey of(byte[] key) {
        return new StoreKey(key.clone(), null);
    }

    /** @return where the key lives, or null for an in-memory key */
    public Path file() {
        return file;
    }

    /** @return the HMAC-SHA256 of {@code bytes[0, length)} */
    byte[] sign(byte[] bytes, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(bytes, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** @return whether {@code signature} is the HMAC of {@code bytes[0, length)}, compared in constant time */
    boolean verify(byte[] bytes, int offset, int length, byte[] signature) {
        return MessageDigest.isEqual(sign(bytes, offset, length), signature);
    }
}
