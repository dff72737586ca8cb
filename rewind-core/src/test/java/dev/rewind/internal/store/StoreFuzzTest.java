package dev.rewind.internal.store;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rewind.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Fuzzes the store's decoders of untrusted bytes: whatever a file holds, the only exception they may
 * throw is a {@link CorruptCheckpointException} (or a subclass) naming the file; anything else
 * (an {@code ArrayIndexOutOfBoundsException} from the decompressor, an {@code OutOfMemoryError}, a
 * {@code NegativeArraySizeException}...) is a finding. What decodes must decode to the same after a
 * round trip through the encoder.
 *
 * <p>Each input starts with a mode byte. Even modes hand the rest to the decoder as it is. Odd modes
 * frame the rest the way a writer would (a valid CRC32C, a valid signature), so that the fuzzer gets
 * past the checksums to the parsers and to the zstd decompressor behind them, which a random file
 * never reaches.
 *
 * <p>In an ordinary {@code mvn test} Jazzer runs in regression mode: each method runs once on the
 * empty input and on the seeds in {@code src/test/resources/dev/rewind/internal/store/StoreFuzzTestInputs/METHOD/}
 * (valid encodings from the real encoders, written by {@link #main}; findings saved there become
 * regression inputs). Coverage-guided fuzzing, one method at a time (Jazzer fuzzes one test per JVM),
 * for {@code maxDuration} (5 minutes; {@code -Djazzer.max_duration=30m} overrides it):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o test -pl rewind-core -Dtest='StoreFuzzTest#chunkFile'  *     -Djazzer.instrument='dev.rewind.internal.store.**,io.airlift.compress.**'
 * JAZZER_FUZZ=1 mvn -o test -pl rewind-core -Dtest='StoreFuzzTest#checkpointManifest'
 * JAZZER_FUZZ=1 mvn -o test -pl rewind-core -Dtest='StoreFuzzTest#runManifest'
 * </pre>
 *
 * {@code jazzer.instrument} (patterns separated by commas) chooses the classes whose coverage guides
 * the fuzzer: by default only the project's own, so for chunk files add the zstd decoder's (coverage
 * goes from about 130 to over 900 edges). {@code src/test/resources/junit-platform.properties} keeps
 * Jazzer's hooks to this package in the shared test JVM. The corpus grows in
 * {@code rewind-core/.cifuzz-corpus/} (ignored by git); a finding is saved as a {@code crash-*} file in
 * the inputs folder above, where it stays as a regression input, and fails the run with its stack trace.
 */
class StoreFuzzTest {
    static final StoreKey KEY = StoreKey.of(StoreFixtureWriter.keyBytes());
    static final Path CHECKPOINT = Path.of("/fuzz/runs/fuzz-run/checkpoints/0001-x.ckpt");
    static final Path RUN = Path.of("/fuzz/runs/fuzz-run/run.manifest");
    static final String CHUNK = "/fuzz/chunks/ab/abcd";

    // ------------------------------------------------------------------ (a) signed files and checkpoint manifests

    @FuzzTest(maxDuration = "5m")
    void checkpointManifest(byte[] input) {
        int mode = input.length == 0 ? 0 : input[0] & 0xff;
        byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        try {
            byte[] body;
            if ((mode & 1) != 0) {
                // a well-formed signed file around arbitrary bytes: it must come back as they were
                byte[] file = SignedFile.encode(CheckpointManifest.MAGIC, rest, KEY);
                body = SignedFile.decode(file, CHECKPOINT, CheckpointManifest.MAGIC, CheckpointManifest.WHAT, KEY,
                    false);
                if (!Arrays.equals(body, rest)) {
                    throw new AssertionError("a signed file did not give its body back");
                }
            } else {
                body = SignedFile.decode(rest, CHECKPOINT, CheckpointManifest.MAGIC, CheckpointManifest.WHAT, KEY,
                    (mode & 2) != 0);
            }
            CheckpointManifest m = CheckpointManifest.decode(body, CHECKPOINT);
            CheckpointManifest again = CheckpointManifest.decode(m.encode(), CHECKPOINT);
            if (!sameManifest(m, again)) {
                throw new AssertionError("manifest changed in a round trip: " + m + " -> " + again);
            }
        } catch (CorruptCheckpointException e) {
            namesFile(e, CHECKPOINT.toString());
        }
    }

    private static boolean sameManifest(CheckpointManifest a, CheckpointManifest b) {
        return a.runId().equals(b.runId()) && a.sequence() == b.sequence() && a.label().equals(b.label())
            && a.timeMillis() == b.timeMillis() && a.parent() == b.parent() && Arrays.equals(a.meta(), b.meta())
            && a.chunks().equals(b.chunks()) && a.addedBytes() == b.addedBytes();
    }

    // ------------------------------------------------------------------ (b) chunk files

    @FuzzTest(maxDuration = "5m")
    void chunkFile(byte[] input) {
        int mode = input.length == 0 ? 0 : input[0] & 0xff;
        ByteBuffer in = ByteBuffer.wrap(input, Math.min(1, input.length), Math.max(0, input.length - 1));
        // the id the chunk is expected under: from the input when it has one
        byte[] id = new byte[ChunkId.BYTES];
        in.get(id, 0, Math.min(id.length, in.remaining()));
        ChunkId expected = ChunkId.fromHex(hex(id));
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        byte[] file;
        if ((mode & 1) != 0) {
            // a header the fuzzer chooses around an arbitrary payload, with a valid CRC: reaches the codec
            ByteBuffer head = ByteBuffer.wrap(Arrays.copyOf(rest, 6));
            int version = (mode & 2) != 0 ? head.get() & 0xff : ChunkCodec.FORMAT_VERSION;
            int codec = (mode & 4) != 0 ? ChunkCodec.CODEC_ZSTD : (mode & 8) != 0 ? ChunkCodec.CODEC_RAW
                : head.get(1) & 0xff;
            long raw = (mode & 16) != 0 ? head.getInt(2) & 0xffffffffL : (head.getInt(2) & 0xfffff); // <= 1 MiB
            byte[] payload = rest.length > 6 ? Arrays.copyOfRange(rest, 6, rest.length) : new byte[0];
            if ((mode & 32) != 0 && (mode & 4) == 0) {
                raw = payload.length;
            }
            file = frame(version, codec, (int) raw, payload);
        } else {
            file = rest;
        }
        try {
            byte[] raw = ChunkCodec.decode(expected, file, file.length, CHUNK);
            if (raw.length > ChunkCodec.MAX_RAW || !ChunkId.of(raw, 0, raw.length).equals(expected)) {
                throw new AssertionError("decoded a chunk that is not what its name says");
            }
            ChunkCodec.Encoded e = ChunkCodec.encode(raw, 0, raw.length);
            if (!Arrays.equals(raw, ChunkCodec.decode(e.id(), e.file(), e.fileLength(), CHUNK))) {
                throw new AssertionError("a re-encoded chunk decodes differently");
            }
        } catch (CorruptCheckpointException e) {
            namesFile(e, CHUNK);
        }
    }

    /** @return a chunk file with the given header fields and a valid CRC32C */
    static byte[] frame(int version, int codec, int rawLength, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(ChunkCodec.HEADER + payload.length + ChunkCodec.TRAILER);
        b.putInt(ChunkCodec.MAGIC).put((byte) version).put((byte) codec).putInt(rawLength).putInt(payload.length)
            .put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    // ------------------------------------------------------------------ (c) run manifests

    @FuzzTest(maxDuration = "5m")
    void runManifest(byte[] input) {
        int mode = input.length == 0 ? 0 : input[0] & 0xff;
        byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        try {
            byte[] body = (mode & 1) != 0 ? rest
                : SignedFile.decode(rest, RUN, RunInfo.MAGIC, RunInfo.WHAT, KEY, (mode & 2) != 0);
            RunInfo info = RunInfo.decode(body, RUN);
            RunInfo again = RunInfo.decode(info.encode("fuzz-run"), RUN);
            if (!info.equals(again)) {
                throw new AssertionError("run manifest changed in a round trip: " + info + " -> " + again);
            }
        } catch (CorruptCheckpointException e) {
            namesFile(e, RUN.toString());
        }
    }

    private static void namesFile(CorruptCheckpointException e, String file) {
        if (e.getMessage() == null || !e.getMessage().contains(file)) {
            throw new AssertionError("the message does not name the file: " + e.getMessage(), e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    /**
     * Writes the seed inputs (valid encodings from the real encoders) into
     * {@code args[0]} (default {@code rewind-core/src/test/resources/dev/rewind/internal/store/StoreFuzzTestInputs}).
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0]
            : "rewind-core/src/test/resources/dev/rewind/internal/store/StoreFuzzTestInputs");
        ChunkId a = ChunkId.of(new byte[] {1}, 0, 1);
        ChunkId b = ChunkId.of(new byte[] {2}, 0, 1);
        CheckpointManifest m = new CheckpointManifest("fuzz-run", 3, "label", 1_700_000_000_000L, 2,
            "meta".getBytes(StandardCharsets.UTF_8), List.of(new ChunkRef(a, 1000, 60), new ChunkRef(b, 4 << 20,
            (4 << 20) + 18)), 60);
        byte[] body = m.encode();
        write(dir, "checkpointManifest", "signed", concat(0, SignedFile.encode(CheckpointManifest.MAGIC, body, KEY)));
        write(dir, "checkpointManifest", "framed-body", concat(1, body));
        write(dir, "checkpointManifest", "empty-chunk-list", concat(1, new CheckpointManifest("r", 1, "", 0, 0,
            new byte[0], List.of(), 0).encode()));

        byte[] text = "abcabcabc hello hello hello ".repeat(40).getBytes(StandardCharsets.US_ASCII);
        ChunkCodec.Encoded zstd = ChunkCodec.encode(text, 0, text.length);
        byte[] random = StoreTesting.random(5, 700);
        ChunkCodec.Encoded raw = ChunkCodec.encode(random, 0, random.length);
        write(dir, "chunkFile", "zstd", concat(0, zstd.id().bytes(), Arrays.copyOf(zstd.file(), zstd.fileLength())));
        write(dir, "chunkFile", "raw", concat(0, raw.id().bytes(), Arrays.copyOf(raw.file(), raw.fileLength())));
        // framed: mode 1|4 = zstd codec, header bytes (version, codec, raw length) then the payload
        byte[] payload = Arrays.copyOfRange(zstd.file(), ChunkCodec.HEADER, zstd.fileLength() - ChunkCodec.TRAILER);
        ByteBuffer h = ByteBuffer.allocate(6).put((byte) 1).put((byte) 1).putInt(text.length);
        write(dir, "chunkFile", "framed-zstd", concat(1 | 4, zstd.id().bytes(), h.array(), payload));

        RunInfo info = new RunInfo("run", "demo.Main", List.of("java", "-cp", "app.jar", "demo.Main"),
            Path.of("/home/user/app"), "17.0.9", "host", java.time.Instant.parse("2025-02-03T04:05:06Z"), "fp");
        write(dir, "runManifest", "signed", concat(0, SignedFile.encode(RunInfo.MAGIC, info.encode("fuzz-run"), KEY)));
        write(dir, "runManifest", "body", concat(1, info.encode("fuzz-run")));
        write(dir, "runManifest", "body-without-run", concat(1, info.encode()));
    }

    private static byte[] concat(int mode, byte[]... parts) {
        return StoreTesting.concat(new byte[] {(byte) mode}, StoreTesting.concat(parts));
    }

    private static void write(Path dir, String method, String name, byte[] bytes) throws Exception {
        Path d = dir.resolve(method);
        Files.createDirectories(d);
        Files.write(d.resolve(name), bytes);
    }
}
