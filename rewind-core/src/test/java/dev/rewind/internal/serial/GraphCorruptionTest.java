package dev.rewind.internal.serial;

import dev.rewind.CorruptCheckpointException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Bad input must end in CorruptCheckpointException with a clear message, never anything else, never a hang. */
class GraphCorruptionTest {

    static final class CellV1 {
        int x;
        String name;
    }

    static final class CellV2 {
        String name;
        long y;
    }

    static final class Sample {
        int i = 7;
        long l = -3;
        double d = 2.5;
        boolean flag = true;
        char c = '\u20ac';
        byte b = 1;
        short s = 2;
        float f = 3.5f;
        Object self = this;
        List<Object> list = new ArrayList<>();
        Map<Object, Object> map = new HashMap<>();
        Map<String, Integer> linked = new LinkedHashMap<>(16, 0.75f, true);
        TreeMap<String, String> tree = new TreeMap<>();
        int[][] grid = {{1, 2, 3}, {4}};
        double[] doubles = {1, 2, 3, 4, 5};
        boolean[] bools = {true, false};
        Set<Object> setOf = Set.of("a", "b", "c", 1);
        Function<String, String> lambda;
    }

    static byte[] sampleGraph() throws IOException {
        Sample s = new Sample();
        s.list.add("str\u00e9");
        s.list.add(GraphRoundTripTest.Color.RED);
        s.list.add(GraphRoundTripTest.Op.PLUS);
        s.list.add(String.class);
        s.list.add(42);
        s.list.add(List.of());
        s.map.put(GraphRoundTripTest.Color.BLUE, s.list);
        s.map.put("k", new GraphRoundTripTest.Point(1, 2, "p"));
        s.linked.put("z", 26);
        s.linked.put("a", 1);
        s.tree.put("t", "tree");
        String suffix = "!";
        s.lambda = (Function<String, String> & Serializable) x -> x + suffix;
        return GraphRoundTripTest.write(s, "second root", s.list);
    }

    private static Object[] read(byte[] bytes) throws IOException {
        return new GraphReader(new ByteArrayInputStream(bytes), GraphRoundTripTest.RESOLVER).read();
    }

    /** Lenient mode turns flipped field names and types into changes it adapts to instead of errors. */
    private static Object[] readLenient(byte[] bytes) throws IOException {
        return new GraphReader(new ByteArrayInputStream(bytes), GraphRoundTripTest.RESOLVER, Evolution.lenient()).read();
    }

    /** Reads and accepts success or CorruptCheckpointException; anything else fails the test. */
    private static void readOrCorrupt(byte[] bytes, String what) {
        readOrCorrupt(bytes, what, false);
    }

    private static void readOrCorrupt(byte[] bytes, String what, boolean lenient) {
        try {
            if (lenient) {
                readLenient(bytes);
            } else {
                read(bytes);
            }
        } catch (CorruptCheckpointException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                fail("empty message for " + what);
            }
        } catch (Throwable t) {
            throw new AssertionError("unexpected " + t + " for " + what, t);
        }
    }

    @Test
    void sampleIsValid() throws IOException {
        Object[] back = read(sampleGraph());
        Sample s = (Sample) back[0];
        assertEquals("second root", back[1]);
        assertEquals("x!", s.lambda.apply("x"));
        assertEquals(List.of("z", "a"), new ArrayList<>(s.linked.keySet()));
    }

    @Test
    void everyTruncationIsReportedAsCorrupt() throws IOException {
        byte[] bytes = sampleGraph();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int len = 0; len < bytes.length; len++) {
                byte[] cut = Arrays.copyOf(bytes, len);
                assertThrows(CorruptCheckpointException.class, () -> read(cut), "truncated at " + len);
            }
        });
    }

    @Test
    void randomByteFlipsNeverEscapeAsOtherExceptions() throws IOException {
        byte[] bytes = sampleGraph();
        Random random = new Random(20240611L);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 4000; round++) {
                byte[] bad = bytes.clone();
                int flips = 1 + random.nextInt(3);
                StringBuilder what = new StringBuilder("round " + round + ":");
                for (int k = 0; k < flips; k++) {
                    int at = 6 + random.nextInt(bad.length - 6);
                    int value = random.nextInt(4) == 0 ? 0xFF : random.nextInt(256);
                    bad[at] = (byte) (random.nextBoolean() ? value : bad[at] ^ (1 << random.nextInt(8)));
                    what.append(' ').append(at);
                }
                readOrCorrupt(bad, what.toString());
            }
        });
    }

    @Test
    void lenientReadingFailsCleanlyToo() throws IOException {
        byte[] bytes = sampleGraph();
        assertEquals("second root", readLenient(bytes)[1]);
        Random random = new Random(20250612L);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int len = 0; len < bytes.length; len++) {
                byte[] cut = Arrays.copyOf(bytes, len);
                assertThrows(CorruptCheckpointException.class, () -> readLenient(cut), "truncated at " + len);
            }
            for (int round = 0; round < 4000; round++) {
                byte[] bad = bytes.clone();
                int flips = 1 + random.nextInt(3);
                StringBuilder what = new StringBuilder("lenient round " + round + ":");
                for (int k = 0; k < flips; k++) {
                    int at = 6 + random.nextInt(bad.length - 6);
                    int value = random.nextInt(4) == 0 ? 0xFF : random.nextInt(256);
                    bad[at] = (byte) (random.nextBoolean() ? value : bad[at] ^ (1 << random.nextInt(8)));
                    what.append(' ').append(at);
                }
                readOrCorrupt(bad, what.toString(), true);
            }
        });
    }

    @Test
    void garbageAndHeaderProblems() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            if (garbage.length >= 4) {
                System.arraycopy(new byte[] {'R', 'W', 'G', 'R', 1, 0}, 0, garbage, 0, Math.min(6, garbage.length));
            }
            readOrCorrupt(garbage, "garbage " + i);
        }
        CorruptCheckpointException magic = assertThrows(CorruptCheckpointException.class,
                () -> read("hello world".getBytes()));
        assertTrue(magic.getMessage().contains("bad magic"), magic.getMessage());
        byte[] bytes = sampleGraph();
        bytes[4] = 9;
        CorruptCheckpointException version = assertThrows(CorruptCheckpointException.class, () -> read(bytes));
        assertTrue(version.getMessage().contains("unsupported object graph format version 9"), version.getMessage());
        CorruptCheckpointException empty = assertThrows(CorruptCheckpointException.class, () -> read(new byte[0]));
        assertTrue(empty.getMessage().startsWith("truncated object graph"), empty.getMessage());
    }

    @Test
    void truncatedArrayDataSaysWhatIsMissing() throws IOException {
        byte[] bytes = GraphRoundTripTest.write((Object) new double[512]);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 100);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> read(cut));
        assertTrue(e.getMessage().startsWith("truncated object graph: expected"), e.getMessage());
        assertTrue(e.getMessage().contains("double[]"), e.getMessage());
    }

    @Test
    void missingClassIsNamed() throws IOException {
        byte[] bytes = GraphRoundTripTest.write(new CellV1());
        ClassResolver none = name -> {
            if (name.contains("CellV1")) {
                throw new ClassNotFoundException(name);
            }
            return GraphRoundTripTest.RESOLVER.resolve(name);
        };
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> new GraphReader(new ByteArrayInputStream(bytes), none).read());
        assertEquals("class " + CellV1.class.getName() + " not found: the checkpoint needs the program's classes on the "
                + "class path", e.getMessage());
    }

    @Test
    void changedClassIsExplained() throws IOException {
        byte[] bytes = GraphRoundTripTest.write(new CellV1());
        ClassResolver renamed = name -> name.equals(CellV1.class.getName()) ? CellV2.class
                : GraphRoundTripTest.RESOLVER.resolve(name);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> new GraphReader(new ByteArrayInputStream(bytes), renamed).read());
        assertTrue(e.getMessage().startsWith("class " + CellV2.class.getName()
                + " changed since the checkpoint: field 'x' (int) is gone"), e.getMessage());
    }
}
