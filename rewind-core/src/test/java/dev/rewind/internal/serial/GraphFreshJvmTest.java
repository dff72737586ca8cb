package dev.rewind.internal.serial;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes a graph here and reads it in a second JVM, where identity hash codes, the Set.of salt and
 * lambda classes really differ: the case the serializer exists for.
 */
class GraphFreshJvmTest {

    enum Color { RED, GREEN, BLUE }

    static final class Key {
        final int n;

        Key(int n) {
            this.n = n;
        }
    }

    /** Everything the reading JVM checks, reachable from one root. */
    static final class Payload {
        Map<Object, String> byIdentity = new HashMap<>();
        Map<Color, Integer> byEnum = new HashMap<>();
        Map<Class<?>, String> byClass = new LinkedHashMap<>();
        Set<Object> setOf;
        Map<Object, Object> mapOf;
        Set<Key> keys = new HashSet<>();
        EnumMap<Color, String> enumMap = new EnumMap<>(Color.class);
        Function<Integer, Integer> lambda;
        List<Key> keyList = new ArrayList<>();
    }

    static Payload payload() {
        Payload p = new Payload();
        for (int i = 0; i < 200; i++) {
            Key k = new Key(i);
            p.keyList.add(k);
            p.byIdentity.put(k, "k" + i);
            p.keys.add(k);
        }
        for (Color c : Color.values()) {
            p.byEnum.put(c, c.ordinal());
            p.enumMap.put(c, c.name());
        }
        p.byClass.put(String.class, "String");
        p.byClass.put(int[].class, "int[]");
        p.byClass.put(Payload.class, "Payload");
        p.setOf = Set.of(Color.RED, Color.BLUE, String.class, p.keyList.get(3), "x", 1);
        p.mapOf = Map.of(Color.GREEN, 1, p.keyList.get(5), 2, Object.class, 3);
        int offset = 1000;
        p.lambda = (Function<Integer, Integer> & Serializable) x -> x + offset;
        return p;
    }

    /** Checks a payload read back; returns "OK" or what is wrong. */
    static String verify(Payload p) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Key k = p.keyList.get(i);
            if (!("k" + i).equals(p.byIdentity.get(k))) {
                problems.add("identity key " + i + " not found");
            }
            if (!p.keys.contains(k)) {
                problems.add("set misses key " + i);
            }
        }
        for (Color c : Color.values()) {
            if (p.byEnum.get(c) == null || p.byEnum.get(c) != c.ordinal()) {
                problems.add("enum key " + c + " not found");
            }
            if (!c.name().equals(p.enumMap.get(c))) {
                problems.add("enum map misses " + c);
            }
        }
        if (!"int[]".equals(p.byClass.get(int[].class)) || !"Payload".equals(p.byClass.get(Payload.class))) {
            problems.add("class keys not found");
        }
        if (!List.of(String.class, int[].class, Payload.class).equals(new ArrayList<>(p.byClass.keySet()))) {
            problems.add("linked order lost");
        }
        if (!p.setOf.contains(Color.BLUE) || !p.setOf.contains(p.keyList.get(3)) || !p.setOf.contains(String.class)
                || p.setOf.contains(p.keyList.get(4))) {
            problems.add("Set.of lookups fail");
        }
        if (!Integer.valueOf(2).equals(p.mapOf.get(p.keyList.get(5))) || !Integer.valueOf(3).equals(p.mapOf.get(Object.class))) {
            problems.add("Map.of lookups fail");
        }
        if (p.lambda.apply(1) != 1001) {
            problems.add("lambda broken");
        }
        return problems.isEmpty() ? "OK" : String.join("; ", problems);
    }

    /** Entry point of the reading JVM: reads the file named by args[0] and prints the verdict. */
    public static void main(String[] args) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        Object[] roots = new GraphReader(new ByteArrayInputStream(bytes), GraphRoundTripTest.RESOLVER).read();
        System.out.print(verify((Payload) roots[0]) + " " + (roots[1] == Color.GREEN));
    }

    @Test
    void graphReadInAnotherJvmStillWorks(@TempDir Path dir) throws Exception {
        Payload p = payload();
        assertEquals("OK", verify(p));
        Path file = dir.resolve("graph.bin");
        Files.write(file, GraphRoundTripTest.write(p, Color.GREEN));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GraphFreshJvmTest.class.getName());
        command.add(file.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals("OK true", output.trim(), output);
    }
}
