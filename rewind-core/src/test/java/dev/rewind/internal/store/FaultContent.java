package dev.rewind.internal.store;

import dev.rewind.internal.serial.BulkSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The data of checkpoint {@code sequence} in the fault tests: a deterministic function of the
 * sequence alone, so that the test JVM can recompute what a killed writer wrote (and a writer that
 * starts again after a kill writes the same sequence again, finding some of its chunks written).
 * About 7 MB in several chunks: compressible text, incompressible random bytes, a bulk region (an
 * "int array" of one constant random 4 MiB piece, stored once for all checkpoints, and one
 * compressible 1 MiB piece) and a small random tail.
 */
final class FaultContent {
    private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "checkpoint", "restart", "rewind",
        "store", "chunk", "manifest", "publish", "sequence", "frame", "heap", "object", "thread", "kill", "signal",
        "write", "read", "verify", "digest", "zstd", "bulk", "array", "lock", "run", "label", "meta", "parent",
        "quota", "keep"};
    /** Shared by every sequence: written once, then found in the store. */
    private static volatile byte[] constantPiece;

    private FaultContent() {
    }

    /** One piece of a checkpoint's data; bulk ones go between beginBulk and endBulk. */
    record Segment(byte[] bytes, boolean bulk) {
    }

    static List<Segment> segments(int sequence) {
        List<Segment> out = new ArrayList<>();
        byte[] header = Arrays.copyOf(("rewind fault-injection checkpoint " + sequence + "\n")
            .getBytes(StandardCharsets.US_ASCII), 64);
        out.add(new Segment(header, false));
        out.add(new Segment(text(0x7E57_0000L + sequence, 750_000), false));
        out.add(new Segment(random(0xABCD_0000L + sequence, 1_250_000), false));
        // bulk: a 5 MiB int array, cut into a 4 MiB piece (the same in every checkpoint) and a 1 MiB one
        byte[] bulk = new byte[5 << 20];
        System.arraycopy(constantPiece(), 0, bulk, 0, 4 << 20);
        ByteBuffer ints = ByteBuffer.wrap(bulk, 4 << 20, 1 << 20);
        for (int i = 0; ints.hasRemaining(); i++) {
            ints.putInt((i * (sequence + 1)) >>> 7 ^ sequence * 31);
        }
        out.add(new Segment(bulk, true));
        out.add(new Segment(random(0x7A11_0000L + sequence, 100_003), false));
        return out;
    }

    /** @return the whole data of checkpoint {@code sequence} */
    static byte[] bytes(int sequence) {
        return bytes(segments(sequence));
    }

    /** @return the segments' bytes, one after the other */
    static byte[] bytes(List<Segment> parts) {
        int n = 0;
        for (Segment s : parts) {
            n += s.bytes().length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (Segment s : parts) {
            System.arraycopy(s.bytes(), 0, all, at, s.bytes().length);
            at += s.bytes().length;
        }
        return all;
    }

    /** @return the metadata published with checkpoint {@code sequence} */
    static byte[] meta(int sequence) {
        return ("meta of " + sequence).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes checkpoint {@code sequence}'s data in calls of random sizes (chosen by {@code sizes}). */
    static <W extends OutputStream & BulkSink> void write(int sequence, W out, SplittableRandom sizes)
            throws IOException {
        write(segments(sequence), out, sizes);
    }

    /** Writes the segments in calls of random sizes (chosen by {@code sizes}), bulk ones as bulk. */
    static <W extends OutputStream & BulkSink> void write(List<Segment> segments, W out, SplittableRandom sizes)
            throws IOException {
        for (Segment s : segments) {
            if (s.bulk()) {
                out.beginBulk();
            }
            byte[] b = s.bytes();
            for (int off = 0; off < b.length; ) {
                int n = Math.min(b.length - off, 1 + sizes.nextInt(256 << 10));
                out.write(b, off, n);
                off += n;
            }
            if (s.bulk()) {
                out.endBulk();
            }
        }
    }

    /** @return whether {@code in} holds exactly {@code expected}; reads it to the end */
    static boolean sameData(InputStream in, byte[] expected) throws IOException {
        byte[] buf = new byte[1 << 16];
        int at = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (at + n > expected.length || !Arrays.equals(buf, 0, n, expected, at, at + n)) {
                return false;
            }
            at += n;
        }
        return at == expected.length;
    }

    private static byte[] constantPiece() {
        byte[] p = constantPiece;
        if (p == null) {
            p = random(42, 4 << 20);
            constantPiece = p;
        }
        return p;
    }

    static byte[] random(long seed, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < length; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < length; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    static byte[] text(long seed, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(seed);
        int at = 0;
        while (at < length) {
            String w = WORDS[r.nextInt(WORDS.length)];
            for (int i = 0; i < w.length() && at < length; i++) {
                b[at++] = (byte) w.charAt(i);
            }
            if (at < length) {
                b[at++] = (byte) (r.nextInt(12) == 0 ? '\n' : ' ');
            }
        }
        return b;
    }
}
