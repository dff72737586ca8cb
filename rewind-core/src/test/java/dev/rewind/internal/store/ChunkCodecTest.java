package dev.rewind.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rewind.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
    private static final String WHERE = "/store/chunks/ab/abcdef-test";

    /** Random doubles in [0, 1) as little-endian bytes, like a double[] in a checkpoint. */
    static byte[] randomDoubles(long seed, int n) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(seed);
        while (b.remaining() >= 8) {
            b.putDouble(r.nextDouble());
        }
        while (b.hasRemaining()) {
            b.put((byte) r.nextInt());
        }
        return b.array();
    }

    /** Small int counters (0..999) as little-endian bytes, like an int[] of counts. */
    static byte[] counters(long seed, int n) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(seed);
        while (b.remaining() >= 4) {
            b.putInt(r.nextInt(1000));
        }
        while (b.hasRemaining()) {
            b.put((byte) 0);
        }
        return b.array();
    }

    static byte[] randomBytes(long seed, int n) {
        return ContentChunkerTest.random(seed, n);
    }

    private static byte[] decode(ChunkCodec.Encoded e) {
        return ChunkCodec.decode(e.id(), e.file(), e.fileLength(), WHERE);
    }

    @Test
    void roundTripsIncompressibleDataStoredRaw() {
        for (int n : new int[] {0, 1, 100, 511, 512, 4096, 65535, 65536, 65537, 1 << 20, 3_000_001}) {
            byte[] raw = randomBytes(n, n + 10);
            ChunkCodec.Encoded e = ChunkCodec.encode(raw, 5, n);
            assertFalse(e.compressed(), n + " random bytes");
            assertEquals(n, e.rawLength());
            assertEquals(ChunkId.of(raw, 5, n), e.id());
            assertEquals(ChunkCodec.HEADER + n + ChunkCodec.TRAILER, e.fileLength());
            assertArrayEquals(Arrays.copyOfRange(raw, 5, 5 + n), decode(e));
        }
    }

    @Test
    void roundTripsCompressibleDataCompressed() {
        for (int n : new int[] {512, 4096, 65536, 65537, 1 << 20, 3_000_001}) {
            byte[] raw = counters(n, n);
            ChunkCodec.Encoded e = ChunkCodec.encode(raw, 0, n);
            assertTrue(e.compressed(), n + " bytes of counters");
            assertTrue(e.fileLength() < n * 0.95, e.fileLength() + " bytes for " + n);
            assertArrayEquals(raw, decode(e));
        }
        // Under 512 bytes nothing is compressed, however well it would.
        byte[] zeros = new byte[511];
        ChunkCodec.Encoded e = ChunkCodec.encode(zeros, 0, zeros.length);
        assertFalse(e.compressed());
        assertArrayEquals(zeros, decode(e));
    }

    @Test
    void theMiddleSampleDecides() {
        // Compressible except for a random middle: the sample says no, so stored raw (cheap path).
        byte[] raw = new byte[1 << 20];
        byte[] noise = randomBytes(8, 128 << 10);
        System.arraycopy(noise, 0, raw, raw.length / 2 - noise.length / 2, noise.length);
        ChunkCodec.Encoded e = ChunkCodec.encode(raw, 0, raw.length);
        assertFalse(e.compressed());
        assertArrayEquals(raw, decode(e));
        // Random doubles: a quarter of their bytes (the exponents' high bytes) repeat, yet zstd
        // does not get below 90 %, so they take the cheap path too.
        byte[] doubles = randomDoubles(9, 1 << 20);
        assertFalse(ChunkCodec.encode(doubles, 0, doubles.length).compressed());
    }

    @Test
    void everySingleByteChangeIsDetected() {
        for (byte[] raw : new byte[][] {counters(10, 2000), randomBytes(11, 300)}) {
            ChunkCodec.Encoded e = ChunkCodec.encode(raw, 0, raw.length);
            byte[] file = Arrays.copyOf(e.file(), e.fileLength());
            for (int i = 0; i < file.length; i++) {
                for (int mask : new int[] {0x01, 0x80, 0xff, 0x5a}) {
                    byte[] bad = file.clone();
                    bad[i] ^= (byte) mask;
                    int at = i;
                    CorruptCheckpointException x = assertThrows(CorruptCheckpointException.class,
                        () -> ChunkCodec.decode(e.id(), bad, bad.length, WHERE), "byte " + at + " ^ " + mask);
                    assertTrue(x.getMessage().startsWith("chunk " + WHERE + " "), x.getMessage());
                }
            }
        }
    }

    @Test
    void everyTruncationIsDetected() {
        for (byte[] raw : new byte[][] {counters(12, 2000), randomBytes(13, 300), new byte[0]}) {
            ChunkCodec.Encoded e = ChunkCodec.encode(raw, 0, raw.length);
            for (int n = 0; n < e.fileLength(); n++) {
                int len = n;
                CorruptCheckpointException x = assertThrows(CorruptCheckpointException.class,
                    () -> ChunkCodec.decode(e.id(), e.file(), len, WHERE), "truncated to " + len);
                // Shorter than the magic, or shorter than the header says: both say "truncated".
                assertTrue(x.getMessage().contains("truncated"), x.getMessage());
                assertTrue(x.getMessage().contains(WHERE), x.getMessage());
            }
        }
    }

    @Test
    void messagesSayWhatIsWrong() {
        byte[] raw = counters(14, 4000);
        ChunkCodec.Encoded e = ChunkCodec.encode(raw, 0, raw.length);
        byte[] file = Arrays.copyOf(e.file(), e.fileLength());

        byte[] other = raw.clone();
        other[0]++;
        assertMessage("its content does not match its name", () -> ChunkCodec.decode(
            ChunkId.of(other, 0, other.length), file, file.length, WHERE));

        byte[] magic = file.clone();
        magic[0] = 'X';
        assertMessage("not a Rewind chunk file", () -> ChunkCodec.decode(e.id(), magic, magic.length, WHERE));

        byte[] version = withCrc(file.clone(), b -> b[4] = 7);
        assertMessage("unknown format version 7", () -> ChunkCodec.decode(e.id(), version, version.length, WHERE));

        byte[] codec = withCrc(file.clone(), b -> b[5] = 9);
        assertMessage("unknown codec 9", () -> ChunkCodec.decode(e.id(), codec, codec.length, WHERE));

        byte[] crc = file.clone();
        crc[20] ^= 1;
        assertMessage("is damaged: its checksum does not match", () -> ChunkCodec.decode(e.id(), crc, crc.length,
            WHERE));

        byte[] longer = Arrays.copyOf(file, file.length + 3);
        assertMessage("its header says", () -> ChunkCodec.decode(e.id(), longer, longer.length, WHERE));

        // A header that claims 4 GiB with a valid CRC: refused without allocating anything like it.
        byte[] huge = withCrc(file.clone(), b -> {
            b[6] = (byte) 0xff;
            b[7] = (byte) 0xff;
        });
        assertMessage("more than the limit", () -> ChunkCodec.decode(e.id(), huge, huge.length, WHERE));

        // A zstd payload that is not zstd, with a valid CRC: the decompressor's complaint is wrapped.
        byte[] garbage = withCrc(file.clone(), b -> Arrays.fill(b, ChunkCodec.HEADER, b.length - 4, (byte) 0x33));
        assertMessage("cannot be decompressed", () -> ChunkCodec.decode(e.id(), garbage, garbage.length, WHERE));
    }

    /** ChunkId is the codec's name for a chunk; its contract is tested here with the codec's. */
    @Test
    void chunkIdIsTheSha256OfTheRawBytes() throws Exception {
        byte[] abc = "xxabcxx".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ChunkId id = ChunkId.of(abc, 2, 3);
        String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2 "abc"
        assertEquals(expected, id.hex());
        assertEquals(expected, id.toString());
        assertEquals(id, ChunkId.fromHex(expected));
        assertEquals(id.hashCode(), ChunkId.fromHex(expected).hashCode());
        assertFalse(id.equals(ChunkId.of(abc, 2, 2)));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ChunkId.of(new byte[0], 0, 0).hex());

        byte[] bytes = id.bytes();
        assertEquals(ChunkId.BYTES, bytes.length);
        assertEquals((byte) 0xba, bytes[0]);
        assertEquals((byte) 0xad, bytes[31]);
        bytes[0] = 0;
        assertEquals((byte) 0xba, id.bytes()[0], "bytes() is a copy");

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        id.write(new java.io.DataOutputStream(out));
        assertArrayEquals(id.bytes(), out.toByteArray());
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(out.toByteArray()));
        assertEquals(id, ChunkId.read(in));
        assertThrows(java.io.EOFException.class, () -> ChunkId.read(new java.io.DataInputStream(
            new java.io.ByteArrayInputStream(new byte[31]))));
        assertThrows(IndexOutOfBoundsException.class, () -> ChunkId.of(abc, 5, 3));
    }

    @Test
    void chunkIdFromHexAcceptsOnly64LowercaseHexDigits() {
        String ok = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        for (String bad : new String[] {null, "", ok.substring(1), ok + "0", ok.toUpperCase(),
            ok.substring(0, 63) + "g", " " + ok.substring(1), ok.substring(0, 63) + "\u0661"}) {
            assertThrows(IllegalArgumentException.class, () -> ChunkId.fromHex(bad), String.valueOf(bad));
        }
        SplittableRandom r = new SplittableRandom(22);
        for (int i = 0; i < 1000; i++) {
            byte[] b = randomBytes(r.nextLong(), 1 + r.nextInt(100));
            ChunkId id = ChunkId.of(b, 0, b.length);
            assertEquals(id, ChunkId.fromHex(id.hex()));
            assertTrue(id.hex().matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void argumentsThatAreBugsNotDamage() {
        assertThrows(IndexOutOfBoundsException.class, () -> ChunkCodec.encode(new byte[10], 5, 6));
        ChunkCodec.Encoded e = ChunkCodec.encode(new byte[10], 0, 10);
        assertThrows(IndexOutOfBoundsException.class,
            () -> ChunkCodec.decode(e.id(), new byte[10], 11, WHERE));
        assertThrows(NullPointerException.class, () -> ChunkCodec.decode(null, e.file(), e.fileLength(), WHERE));
    }

    /**
     * 10,000 random mutations (bit flips, overwritten runs, truncations, extensions) of encoded
     * chunks: decode either throws CorruptCheckpointException or returns the original bytes, and
     * the latter only for an unchanged file. Half of them also get a recomputed CRC, so that they
     * reach the header checks and the zstd decompressor instead of stopping at the checksum.
     */
    @Test
    void randomDamageOnlyEverCausesCorruptCheckpointException() {
        SplittableRandom r = new SplittableRandom(15);
        byte[][] raws = {counters(16, 5000), counters(17, 70_000), randomBytes(18, 1000), new byte[600],
            randomDoubles(19, 3000)};
        ChunkCodec.Encoded[] encoded = new ChunkCodec.Encoded[raws.length];
        for (int i = 0; i < raws.length; i++) {
            encoded[i] = ChunkCodec.encode(raws[i], 0, raws[i].length);
        }
        int returned = 0;
        int[] byKind = new int[4];
        for (int round = 0; round < 10_000; round++) {
            int which = r.nextInt(raws.length);
            ChunkCodec.Encoded e = encoded[which];
            byte[] file = Arrays.copyOf(e.file(), e.fileLength());
            int kind = r.nextInt(4);
            byte[] bad = mutate(file, kind, r);
            boolean fixCrc = r.nextBoolean() && bad.length >= ChunkCodec.HEADER + ChunkCodec.TRAILER;
            if (fixCrc) {
                bad = withCrc(bad, b -> { });
            }
            try {
                byte[] got = ChunkCodec.decode(e.id(), bad, bad.length, WHERE);
                assertArrayEquals(raws[which], got, "decode returned wrong bytes instead of throwing");
                if (!fixCrc) {
                    assertArrayEquals(file, bad, "a changed file without a valid CRC was accepted");
                }
                returned++;
            } catch (CorruptCheckpointException x) {
                assertTrue(x.getMessage().contains(WHERE), x.getMessage());
                byKind[kind]++;
            } catch (Throwable t) {
                fail("mutation of kind " + kind + (fixCrc ? " with fixed CRC" : "") + " threw " + t, t);
            }
        }
        System.out.printf("ChunkCodec fuzz: 10000 mutations, %d decoded to the original (unchanged or"
            + " harmless with a fixed CRC), rejected by kind %s%n", returned, Arrays.toString(byKind));
    }

    private static byte[] mutate(byte[] file, int kind, SplittableRandom r) {
        byte[] b = file.clone();
        switch (kind) {
            case 0: // a few bit flips
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int bit = r.nextInt(b.length * 8);
                    b[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                return b;
            case 1: // a run of random bytes
                int at = r.nextInt(b.length);
                int n = Math.min(b.length - at, 1 + r.nextInt(64));
                for (int i = at; i < at + n; i++) {
                    b[i] = (byte) r.nextInt();
                }
                return b;
            case 2: // truncated
                return Arrays.copyOf(b, r.nextInt(b.length));
            default: // extended with random bytes
                byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(100));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt();
                }
                return longer;
        }
    }

    /** Applies {@code change} and then rewrites the trailing CRC32C so the file passes the checksum. */
    private static byte[] withCrc(byte[] file, java.util.function.Consumer<byte[]> change) {
        change.accept(file);
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file, file.length - 4, 4).putInt((int) crc.getValue());
        return file;
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable decode) {
        CorruptCheckpointException x = assertThrows(CorruptCheckpointException.class, decode);
        assertTrue(x.getMessage().contains(part) && x.getMessage().contains(WHERE),
            "expected \"" + part + "\" in: " + x.getMessage());
    }

    /** Prints encode throughput and ratio; never asserts on time. */
    @Test
    void printThroughput() {
        int size = 64 << 20;
        report("random doubles", randomDoubles(20, size));
        report("small int counters", counters(21, size));
    }

    private static void report(String what, byte[] data) {
        for (int piece : new int[] {1 << 20, 64 << 10}) {
            int count = (data.length + piece - 1) / piece;
            ChunkCodec.Encoded[] encoded = new ChunkCodec.Encoded[count];
            double encodeRate = 0;
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    int off = i * piece;
                    encoded[i] = ChunkCodec.encode(data, off, Math.min(piece, data.length - off));
                }
                encodeRate = Math.max(encodeRate, data.length / ((System.nanoTime() - t0) / 1e9) / 1e6);
            }
            double decodeRate = 0;
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                for (ChunkCodec.Encoded e : encoded) {
                    if (decode(e).length != e.rawLength()) {
                        fail("decode length");
                    }
                }
                decodeRate = Math.max(decodeRate, data.length / ((System.nanoTime() - t0) / 1e9) / 1e6);
            }
            long stored = 0;
            int compressed = 0;
            for (ChunkCodec.Encoded e : encoded) {
                stored += e.fileLength();
                compressed += e.compressed() ? 1 : 0;
            }
            System.out.printf("ChunkCodec %s in %d KiB chunks: encode %.0f MB/s, decode %.0f MB/s (best of 4),"
                + " stored %.1f %% of raw, %d of %d chunks compressed%n", what, piece >> 10, encodeRate, decodeRate,
                100.0 * stored / data.length, compressed, count);
        }
    }
}
