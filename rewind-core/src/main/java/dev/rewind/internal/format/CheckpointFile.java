package dev.rewind.internal.format;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.internal.serial.ClassResolver;
import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.serial.GraphWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One checkpoint as one file (the store will replace this with content-addressed chunks).
 *
 * <pre>
 * magic "RWND" | format version u16 | header length u32 | header | object graph | CRC32C u32 | "DNWR"
 * </pre>
 *
 * The CRC covers everything before it. A file is written under a temporary name, forced to disk,
 * renamed into place and its folder forced, so a reader sees a whole checkpoint or none.
 */
public final class CheckpointFile {
    static final int MAGIC = 0x52574E44; // "RWND"
    static final int END_MAGIC = 0x444E5752; // "DNWR"
    /** Bumped on any change of the layout; a reader refuses versions it does not know. */
    public static final int FORMAT_VERSION = 1;
    private static final int TRAILER = 8;
    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_FILE =
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    private CheckpointFile() {
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @return the file's size in bytes
     * @throws RewindException when it cannot be written; the target and older files are untouched
     */
    public static long write(Path target, CheckpointHeader header, Object[] roots, String[] rootPaths) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir);
            long size;
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PRIVATE_FILE)) {
                CRC32C crc = new CRC32C();
                OutputStream out = new BufferedOutputStream(
                    new CheckedOutputStream(new NonClosing(Channels.newOutputStream(ch)), crc), 1 << 16);
                DataOutputStream data = new DataOutputStream(out);
                data.writeInt(MAGIC);
                data.writeShort(FORMAT_VERSION);
                byte[] h = encode(header);
                data.writeInt(h.length);
                data.write(h);
                new GraphWriter(out).write(roots, rootPaths);
                out.flush();
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
                trailer.putInt((int) crc.getValue()).putInt(END_MAGIC).flip();
                while (trailer.hasRemaining()) {
                    ch.write(trailer);
                }
                ch.force(true);
                size = ch.position();
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            return size;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new RewindException("cannot write checkpoint " + target + ": " + e.getMessage()
                + ". Earlier checkpoints are intact; free some space or choose another --store.", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Reads and checks a checkpoint's header, without loading any application class and without
     * verifying the whole file (see {@link #verify(Path)}).
     *
     * @throws CorruptCheckpointException when the file is missing, foreign, of another format
     *     version or truncated
     */
    public static CheckpointHeader readHeader(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            long size = Files.size(file);
            if (size < 10 + TRAILER) {
                throw corrupt(file, "it is only " + size + " bytes long (truncated)");
            }
            if (in.readInt() != MAGIC) {
                throw corrupt(file, "it is not a Rewind checkpoint (wrong magic number)");
            }
            int version = in.readUnsignedShort();
            if (version != FORMAT_VERSION) {
                throw corrupt(file, "it was written in checkpoint format " + version + " and this Rewind reads format "
                    + FORMAT_VERSION + "; resume it with the Rewind version that wrote it");
            }
            int length = in.readInt();
            if (length < 0 || length > size - 10 - TRAILER) {
                throw corrupt(file, "its header length " + length + " exceeds the file (truncated or corrupt)");
            }
            byte[] h = in.readNBytes(length);
            return decode(file, h);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw corrupt(file, "it cannot be read: " + e.getMessage());
        }
    }

    /**
     * Checks the whole file against its CRC32C.
     *
     * @throws CorruptCheckpointException naming the file when it is truncated or corrupt
     */
    public static void verify(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 10 + TRAILER) {
                throw corrupt(file, "it is only " + size + " bytes long (truncated)");
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            ch.read(trailer, size - TRAILER);
            trailer.flip();
            int expected = trailer.getInt();
            if (trailer.getInt() != END_MAGIC) {
                throw corrupt(file, "its end marker is missing (truncated or still being written)");
            }
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long pos = 0;
            long end = size - TRAILER;
            while (pos < end) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw corrupt(file, "it ends early");
                }
                buf.flip();
                crc.update(buf);
                pos += n;
            }
            if ((int) crc.getValue() != expected) {
                throw corrupt(file, "its checksum does not match (the file was damaged)");
            }
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw corrupt(file, "it cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads a checkpoint's object graph. The reader rejects malformed data by itself; the caller
     * should have {@link #verify(Path) verified} the file first (the agent does so before the
     * program starts, so that a damaged file stops the resume before any application code runs).
     *
     * @return the graph roots, in the order of {@link CheckpointHeader#rootCount()}
     */
    public static Object[] readRoots(Path file, ClassResolver classes) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream data = new DataInputStream(in);
            data.readInt();
            data.readUnsignedShort();
            int length = data.readInt();
            data.skipNBytes(length);
            return new GraphReader(in, classes).read();
        } catch (CorruptCheckpointException e) {
            throw corrupt(file, "its object graph is damaged: " + e.getMessage());
        } catch (IOException e) {
            throw corrupt(file, "its object graph cannot be read: " + e.getMessage());
        }
    }

    private static byte[] encode(CheckpointHeader h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
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

    private static CheckpointHeader decode(Path file, byte[] h) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(h));
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

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the temporary file is named after this process and is overwritten by no one else
        }
    }

    /** Keeps the channel open when the stream wrappers are flushed and dropped. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
