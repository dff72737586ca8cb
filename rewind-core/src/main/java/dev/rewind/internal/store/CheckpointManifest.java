package dev.rewind.internal.store;

import dev.rewind.CorruptCheckpointException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a checkpoint: its place in the run, the caller's metadata (for the engine, the frames
 * and statics header) and the chunks its data is made of, in order. Stored as a {@link SignedFile}
 * named {@code NNNN-label.ckpt} in the run's {@code checkpoints} folder; writing that file is what
 * publishes the checkpoint.
 *
 * @param runId the run it belongs to
 * @param sequence its number in the run, from 1
 * @param label the label it was taken with
 * @param timeMillis when it was taken
 * @param parent the sequence of the checkpoint published before it in this run, 0 for none
 * @param meta the caller's metadata, opaque to the store
 * @param chunks its data, in order
 * @param addedBytes bytes of chunk files this checkpoint wrote (the rest it shares with others)
 */
public record CheckpointManifest(String runId, int sequence, String label, long timeMillis, int parent, byte[] meta,
        List<ChunkRef> chunks, long addedBytes) {
    static final int MAGIC = 0x52574350; // "RWCP"
    static final String WHAT = "checkpoint manifest";

    /** @return the length of the data, uncompressed */
    public long rawSize() {
        long n = 0;
        for (ChunkRef c : chunks) {
            n += c.rawLength();
        }
        return n;
    }

    /** @return the bytes of the chunk files it uses, shared ones included */
    public long storedSize() {
        long n = 0;
        for (ChunkRef c : chunks) {
            n += c.fileLength();
        }
        return n;
    }

    /** @return the time it was taken */
    public Instant time() {
        return Instant.ofEpochMilli(timeMillis);
    }

    /** @return the signed file's body */
    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + chunks.size() * 40 + meta.length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(runId);
            out.writeInt(sequence);
            out.writeUTF(label);
            out.writeLong(timeMillis);
            out.writeInt(parent);
            out.writeLong(addedBytes);
            out.writeInt(meta.length);
            out.write(meta);
            out.writeInt(chunks.size());
            for (ChunkRef c : chunks) {
                c.id().write(out);
                out.writeInt(c.rawLength());
                out.writeInt(c.fileLength());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
    }

    /**
     * Reads a manifest file: its checksum, its signature (unless {@code trust}) and its body.
     *
     * @throws CorruptCheckpointException when it is missing or damaged
     * @throws dev.rewind.UntrustedCheckpointException when it is not signed with {@code key} and
     *     {@code trust} is false
     */
    static CheckpointManifest read(Path file, StoreKey key, boolean trust) {
        return decode(SignedFile.read(file, MAGIC, WHAT, key, trust), file);
    }

    /**
     * @throws CorruptCheckpointException naming {@code file} when the body does not decode
     */
    static CheckpointManifest decode(byte[] body, Path file) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            String run = in.readUTF();
            int sequence = in.readInt();
            String label = in.readUTF();
            long time = in.readLong();
            int parent = in.readInt();
            long added = in.readLong();
            int metaLength = in.readInt();
            if (metaLength < 0 || metaLength > in.available()) {
                throw bad(file, "its metadata length " + metaLength + " exceeds the file");
            }
            byte[] meta = in.readNBytes(metaLength);
            int count = in.readInt();
            if (count < 0 || (long) count * (32 + 8) != in.available()) {
                throw bad(file, "its chunk count " + count + " does not match its length");
            }
            List<ChunkRef> chunks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ChunkId id = ChunkId.read(in);
                int raw = in.readInt();
                int stored = in.readInt();
                if (raw <= 0 || raw > ChunkCodec.MAX_RAW || stored <= 0) {
                    throw bad(file, "chunk " + i + " has impossible sizes (" + raw + " raw, " + stored + " stored)");
                }
                chunks.add(new ChunkRef(id, raw, stored));
            }
            if (sequence <= 0 || parent < 0 || parent >= sequence || added < 0) {
                throw bad(file, "its sequence numbers are impossible (" + sequence + ", parent " + parent + ")");
            }
            return new CheckpointManifest(run, sequence, label, time, parent, meta, List.copyOf(chunks), added);
        } catch (IOException e) {
            throw bad(file, "it ends early");
        }
    }

    private static CorruptCheckpointException bad(Path file, String why) {
        return new CorruptCheckpointException(WHAT + " " + file + " is damaged: " + why + ".");
    }
}
