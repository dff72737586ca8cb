package dev.rewind.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Helpers shared by the store tests. */
final class StoreTesting {
    private StoreTesting() {
    }

    /** @return a key made of 32 bytes from {@code seed}: each test its own */
    static StoreKey key(long seed) {
        return StoreKey.of(keyBytes(seed));
    }

    static byte[] keyBytes(long seed) {
        byte[] k = new byte[StoreKey.LENGTH];
        new SplittableRandom(seed).nextBytes(k);
        return k;
    }

    static RunInfo info(String name) {
        return RunInfo.now("run", name, List.of("java", name), Path.of("."), "fingerprint-" + name);
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Text that compresses well but is not all the same (numbers change on every line). */
    static byte[] text(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(n + 100);
        int line = 0;
        while (sb.length() < n) {
            sb.append("line ").append(line++).append(": the quick brown fox jumps over the lazy dog, value=")
                .append(r.nextInt(1000)).append('\n');
        }
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the bytes of a long[] the way a checkpoint holds them (little-endian) */
    static byte[] longs(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }

    /** Writes {@code data} in irregular pieces (and a few single bytes), as a serializer would. */
    static void writeIrregular(CheckpointWriter w, byte[] data, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int off = 0;
        while (off < data.length) {
            if (r.nextInt(50) == 0) {
                w.write(data[off++]);
                continue;
            }
            int n = Math.min(data.length - off, 1 + r.nextInt(200_000));
            w.write(data, off, n);
            off += n;
        }
    }

    /** Writes {@code data} as one bulk region (a large primitive array). */
    static void writeBulk(CheckpointWriter w, byte[] data) {
        w.beginBulk();
        for (int off = 0; off < data.length; off += 1 << 20) {
            w.write(data, off, Math.min(1 << 20, data.length - off));
        }
        w.endBulk();
    }

    /** Writes and publishes one checkpoint of {@code data}, waiting until it is published. */
    static Published checkpoint(Run run, String label, byte[] data, byte[] meta) throws Exception {
        CheckpointWriter w = run.begin(label);
        writeIrregular(w, data, data.length);
        return w.publish(meta).get();
    }

    static byte[] readAll(Run run, CheckpointManifest m) throws IOException {
        try (InputStream in = run.open(m)) {
            return in.readAllBytes();
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return every file under {@code dir} (not folders) */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    /** @return the chunk files in the store (temporary files excluded) */
    static Set<Path> chunkFiles(Path root) throws IOException {
        Set<Path> out = new HashSet<>();
        for (Path f : files(root.resolve("chunks"))) {
            if (!f.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX)) {
                out.add(f);
            }
        }
        return out;
    }

    /** @return the chunk files that the given manifests use */
    static Set<Path> referenced(Store store, List<CheckpointManifest> manifests) {
        Set<Path> out = new HashSet<>();
        for (CheckpointManifest m : manifests) {
            for (ChunkRef c : m.chunks()) {
                out.add(store.chunks().path(c.id()));
            }
        }
        return out;
    }

    static List<CheckpointManifest> manifests(Run run) {
        List<CheckpointManifest> out = new ArrayList<>();
        for (CheckpointEntry e : run.checkpoints()) {
            out.add(run.manifest(e));
        }
        return out;
    }

    static void assertMode(String mode, Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        assertEquals(mode, PosixFilePermissions.toString(perms), p.toString());
    }

    /** Flips one bit of a file in place. */
    static void flipBit(Path file, long offset, int bit) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= (byte) (1 << bit);
        Files.write(file, b);
    }

    /** Returns once {@link System#currentTimeMillis()} has moved past {@code t}, so that manifest times differ. */
    static void nextMillisecond(long t) {
        while (System.currentTimeMillis() <= t) {
            Thread.onSpinWait();
        }
    }
}
