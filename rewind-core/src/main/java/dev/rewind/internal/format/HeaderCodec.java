package dev.rewind.internal.format;

import dev.rewind.CorruptCheckpointException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's part of a checkpoint manifest: the {@link CheckpointHeader} (frames, statics,
 * initialised classes) as bytes that the store keeps next to the chunk list, so that a checkpoint
 * can be described and its resume planned without reading its object graph.
 */
public final class HeaderCodec {
    /** Bumped on any change of the layout; a reader refuses versions it does not know. */
    public static final int VERSION = 2;

    private HeaderCodec() {
    }

    /** @return the header's bytes, led by {@link #VERSION} */
    public static byte[] encode(CheckpointHeader h) {
        try {
            return write(h);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
    }

    private static byte[] write(CheckpointHeader h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(VERSION);
        out.writeUTF(h.rewindVersion());
        out.writeInt(h.jdkFeature());
        out.writeUTF(h.jdkVersion());
        out.writeUTF(h.runId());
        out.writeInt(h.sequence());
        out.writeUTF(h.label());
        out.writeLong(h.timeMillis());
        out.writeUTF(h.mainClass());
        out.writeInt(h.frames().size());
        for (FrameRecord f : h.frames()) {
            out.writeUTF(f.className());
            out.writeUTF(f.methodName());
            out.writeUTF(f.descriptor());
            out.writeInt(f.instruction());
            out.writeInt(f.bci());
            out.writeInt(f.line());
            out.writeUTF(f.callSignature());
            out.writeInt(f.localCount());
            out.writeInt(f.names().length);
            for (String n : f.names()) {
                out.writeUTF(n);
            }
            out.writeInt(f.monitorCount());
            out.writeInt(f.argumentCount());
            out.writeUTF(f.receiverStandIn());
        }
        out.writeInt(h.statics().size());
        for (String s : h.statics()) {
            out.writeUTF(s);
        }
        out.writeInt(h.initialized().size());
        for (String s : h.initialized()) {
            out.writeUTF(s);
        }
        return bytes.toByteArray();
    }

    /**
     * @param file names the checkpoint in messages
     * @throws CorruptCheckpointException when the bytes are not a header this version reads
     */
    public static CheckpointHeader decode(Path file, byte[] h) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(h));
            int format = in.readUnsignedShort();
            if (format != VERSION) {
                throw corrupt(file, "its frame header was written in format " + format + " and this Rewind reads "
                    + "format " + VERSION + "; resume it with the Rewind version that wrote it");
            }
            String version = in.readUTF();
            int feature = in.readInt();
            String jdk = in.readUTF();
            String run = in.readUTF();
            int seq = in.readInt();
            String label = in.readUTF();
            long time = in.readLong();
            String main = in.readUTF();
            int frameCount = count(in, file, "frames");
            List<FrameRecord> frames = new ArrayList<>(frameCount);
            for (int i = 0; i < frameCount; i++) {
                String c = in.readUTF();
                String m = in.readUTF();
                String d = in.readUTF();
                int insn = in.readInt();
                int bci = in.readInt();
                int line = in.readInt();
                String call = in.readUTF();
                int locals = in.readInt();
                String[] names = new String[count(in, file, "values")];
                for (int k = 0; k < names.length; k++) {
                    names[k] = in.readUTF();
                }
                int monitors = count(in, file, "monitors");
                int args = count(in, file, "arguments");
                String standIn = in.readUTF();
                if (locals < 0 || locals > names.length) {
                    throw corrupt(file, "frame " + i + " has an impossible local count");
                }
                frames.add(new FrameRecord(c, m, d, insn, bci, line, call, locals, names, monitors, args, standIn));
            }
            int staticCount = count(in, file, "statics");
            List<String> statics = new ArrayList<>(staticCount);
            for (int i = 0; i < staticCount; i++) {
                statics.add(in.readUTF());
            }
            int initializedCount = count(in, file, "initialised classes");
            List<String> initialized = new ArrayList<>(initializedCount);
            for (int i = 0; i < initializedCount; i++) {
                initialized.add(in.readUTF());
            }
            return new CheckpointHeader(version, feature, jdk, run, seq, label, time, main, frames, statics,
                initialized);
        } catch (EOFException e) {
            throw corrupt(file, "its header is truncated");
        } catch (IOException e) {
            throw corrupt(file, "its header cannot be decoded: " + e.getMessage());
        }
    }

    private static int count(DataInputStream in, Path file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw corrupt(file, "its header has an impossible number of " + what + " (" + n + ")");
        }
        return n;
    }

    private static CorruptCheckpointException corrupt(Path file, String why) {
        return new CorruptCheckpointException("checkpoint " + file + " cannot be used: " + why + ".");
    }
}
