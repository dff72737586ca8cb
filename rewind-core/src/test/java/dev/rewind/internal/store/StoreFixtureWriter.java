package dev.rewind.internal.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the store fixture that {@code StoreFixtureTest} reads back: a store in the current format
 * (chunk format {@link ChunkCodec#FORMAT_VERSION}, signed-file format {@link SignedFile#FORMAT_VERSION}),
 * signed with a fixed key, holding two checkpoints of deterministic content. It pins the on-disk format:
 * a change that makes this store unreadable must bump a format version and regenerate the fixture on
 * purpose (see {@code src/test/resources/fixtures/store-v1/README.md}).
 *
 * <pre>
 * mvn -q -o test-compile -pl rewind-core
 * java -cp rewind-core/target/test-classes:rewind-core/target/classes:$HOME/.m2/repository/io/airlift/aircompressor/2.0.2/aircompressor-2.0.2.jar \
 *     dev.rewind.internal.store.StoreFixtureWriter rewind-core/src/test/resources/fixtures/store-v1
 * </pre>
 *
 * Refuses to write over an existing fixture: delete it first, deliberately.
 */
public final class StoreFixtureWriter {
    static final String KIND = "state";
    static final String NAME = "fixture";
    static final String RUN_ID = KIND + "-" + NAME;
    static final String[] LABELS = {"first", "second"};
    /** Longs in checkpoint 2's bulk region. */
    static final int BULK_LONGS = 80_000;

    private StoreFixtureWriter() {
    }

    /** @return the fixed key: bytes 0, 1, ..., 31 */
    static byte[] keyBytes() {
        byte[] k = new byte[StoreKey.LENGTH];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) i;
        }
        return k;
    }

    /** @return what the fixture's run manifest says */
    static RunInfo runInfo() {
        return new RunInfo(KIND, NAME, List.of(), Path.of("/fixture/cwd"), "17.0.0", "fixture-host",
            Instant.parse("2025-01-01T00:00:00Z"), "");
    }

    /** @return checkpoint 1's data: about 600 KB of text (one or two chunks, compressible) */
    static byte[] data1() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 600_000; i++) {
            sb.append("record ").append(i).append(": value=").append((i * 7919L) % 1000).append(", name=item-")
                .append(i % 97).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** @return checkpoint 2's data as three parts: a head, a long[] written as a bulk region, a tail */
    static byte[][] data2Parts() {
        byte[] head = "head of checkpoint two\n".repeat(400).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bulk = ByteBuffer.allocate(BULK_LONGS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < BULK_LONGS; i++) {
            bulk.putLong((i % 1000) * 1_000_000_007L + i / 1000);
        }
        byte[] tail = "tail\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        return new byte[][] {head, bulk.array(), tail};
    }

    static byte[] data2() {
        return StoreTesting.concat(data2Parts());
    }

    static byte[] meta(int sequence) {
        return ("fixture meta " + sequence).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Path fixture = Path.of(args.length > 0 ? args[0] : "rewind-core/src/test/resources/fixtures/store-v1");
        Path root = fixture.resolve("store");
        if (Files.exists(root) || Files.exists(fixture.resolve("key"))) {
            throw new IllegalStateException(fixture + " exists: the fixture pins the store format and is only "
                + "regenerated on purpose, with a format version bump. Delete its key and store/ first.");
        }
        Files.createDirectories(fixture);
        Files.write(fixture.resolve("key"), keyBytes());
        Store store = Store.openWithKey(root, StoreKey.of(keyBytes()), StoreOptions.defaults());
        Run run = store.namedRun(KIND, NAME, runInfo());

        CheckpointWriter w1 = run.begin(LABELS[0]);
        w1.write(data1());
        w1.publish(meta(1)).get();

        byte[][] parts = data2Parts();
        CheckpointWriter w2 = run.begin(LABELS[1]);
        w2.write(parts[0]);
        w2.beginBulk();
        w2.write(parts[1]);
        w2.endBulk();
        w2.write(parts[2]);
        w2.publish(meta(2)).get();
        store.awaitWrites();
        run.close();
        // run-time lock files: not part of the format (and they name this machine)
        Files.deleteIfExists(run.dir().resolve(RunLock.FILE));
        Files.deleteIfExists(root.resolve("gc.lock"));
        long total = 0;
        for (Path f : StoreTesting.files(fixture)) {
            total += Files.size(f);
            System.out.println(Files.size(f) + "\t" + fixture.relativize(f));
        }
        System.out.println(total + " bytes in " + fixture);
    }
}
