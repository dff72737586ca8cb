package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.UntrustedCheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A small file whose body is checked twice on read: a CRC32C tells damage from a bad signature, and
 * an HMAC-SHA256 under the user's {@link StoreKey} tells that this user's Rewind wrote it.
 *
 * <pre>
 * magic u32 | format version u16 | body length u32 | body | CRC32C u32 | HMAC-SHA256 (32 bytes)
 * </pre>
 *
 * Big-endian. The CRC covers everything before it, the HMAC everything before it (CRC included).
 */
final class SignedFile {
    /** The layout of this class; a file of another version is refused by name. */
    static final int FORMAT_VERSION = 1;
    /** Bodies are metadata, never checkpoint data: anything larger is damage. */
    static final int MAX_BODY = 64 << 20;
    private static final int HEAD = 10;
    private static final int TAIL = 4 + StoreKey.LENGTH;

    private SignedFile() {
    }

    /** @return the file's bytes for {@code body}, signed with {@code key} */
    static byte[] encode(int magic, byte[] body, StoreKey key) {
        ByteBuffer b = ByteBuffer.allocate(HEAD + body.length + TAIL);
        b.putInt(magic).putShort((short) FORMAT_VERSION).putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.put(key.sign(b.array(), 0, b.position()));
        return b.array();
    }

    /** Writes a signed file atomically (see {@link DurableFiles}). */
    static void write(Path target, int magic, byte[] body, StoreKey key) throws IOException {
        byte[] bytes = encode(magic, body, key);
        DurableFiles.write(target, bytes, bytes.length, true);
    }

    /**
     * Reads and checks a signed file.
     *
     * @param what how to name the file in messages, e.g. "checkpoint manifest"
     * @param trust accept a body whose signature does not verify (the user said --trust)
     * @return the body
     * @throws CorruptCheckpointException when the file is missing, truncated, foreign, of another
     *     format version or damaged
     * @throws UntrustedCheckpointException when it is intact but not signed with {@code key}, and
     *     {@code trust} is false
     */
    static byte[] read(Path file, int magic, String what, StoreKey key, boolean trust) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BODY + HEAD + TAIL) {
                throw damaged(file, what, "it is " + size + " bytes long, far more than any " + what);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new CorruptCheckpointException(what + " " + file + " cannot be read: " + e, e);
        }
        return decode(bytes, file, magic, what, key, trust);
    }

    /** @see #read(Path, int, String, StoreKey, boolean) */
    static byte[] decode(byte[] bytes, Path file, int magic, String what, StoreKey key, boolean trust) {
        if (bytes.length < HEAD + TAIL) {
            throw damaged(file, what, "it is only " + bytes.length + " bytes long (truncated)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt() != magic) {
            throw damaged(file, what, "it is not a Rewind " + what + " (wrong magic number)");
        }
        int version = b.getShort() & 0xffff;
        if (version != FORMAT_VERSION) {
            throw new CorruptCheckpointException(what + " " + file + " was written in format " + version
                + " and this Rewind reads format " + FORMAT_VERSION + "; use the Rewind version that wrote it");
        }
        int length = b.getInt();
        if (length < 0 || length != bytes.length - HEAD - TAIL) {
            throw damaged(file, what, "its length field says " + length + " bytes of content but the file holds "
                + (bytes.length - HEAD - TAIL) + " (truncated or damaged)");
        }
        int crcAt = HEAD + length;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, crcAt);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, crcAt, 4).getInt()) {
            throw damaged(file, what, "its checksum does not match");
        }
        byte[] signature = new byte[StoreKey.LENGTH];
        System.arraycopy(bytes, crcAt + 4, signature, 0, signature.length);
        if (!trust && !key.verify(bytes, 0, crcAt + 4, signature)) {
            throw new UntrustedCheckpointException(what + " " + file + " is intact but not signed with your key"
                + (key.file() != null ? " (" + key.file() + ")" : "") + ": it was written by another user or machine, "
                + "or edited. Loading it would create objects as it says; if you know where it came from, pass "
                + "--trust.");
        }
        byte[] body = new byte[length];
        System.arraycopy(bytes, HEAD, body, 0, length);
        return body;
    }

    private static CorruptCheckpointException damaged(Path file, String what, String why) {
        return new CorruptCheckpointException(what + " " + file + " is damaged: " + why + ".");
    }
}
