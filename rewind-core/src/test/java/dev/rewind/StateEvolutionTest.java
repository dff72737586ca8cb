package dev.rewind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A state saved by one version of a program and opened by the next, whose state class changed:
 * both versions of {@code evo.Sim} are compiled here and loaded by class loaders of their own.
 */
class StateEvolutionTest {
    private static final String V1 = "public class Sim { public long step; public double energy; public int legacy;"
        + " public java.util.List<String> notes = new java.util.ArrayList<>(); public Sim(long s) { step = s; } }";
    private static final String V2 = "public class Sim { public long step; public float energy; public String label = \"new\";"
        + " public Sim(long s) { step = s; } }";

    @TempDir
    static Path dir;
    private static Class<Object> v1;
    private static Class<Object> v2;

    @BeforeAll
    static void compileBothVersions() throws Exception {
        v1 = compile(dir.resolve("v1"), V1);
        v2 = compile(dir.resolve("v2"), V2);
    }

    @SuppressWarnings("unchecked")
    private static Class<Object> compile(Path root, String source) throws IOException, ClassNotFoundException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "the tests need a JDK, not a JRE");
        Path src = Files.createDirectories(root.resolve("src/evo")).resolve("Sim.java");
        Path out = Files.createDirectories(root.resolve("classes"));
        Files.writeString(src, "package evo;\n" + source + "\n");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-d", out.toString(), "-proc:none", src.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));
        // the platform loader as parent: each version sees only its own evo.Sim
        return (Class<Object>) new URLClassLoader(new URL[] {out.toUri().toURL()}, ClassLoader.getPlatformClassLoader())
            .loadClass("evo.Sim");
    }

    private static StateCheckpoint.Builder<Object> builder(String name, Class<Object> type) {
        return StateCheckpoint.builder(name, type).store(dir.resolve("store")).handleSignals(false).fresh(() -> {
            try {
                return type.getConstructor(long.class).newInstance(0L);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void saveVersion1(String name) throws Exception {
        try (StateCheckpoint<Object> ck = builder(name, v1).open()) {
            Object sim = ck.state();
            v1.getField("step").setLong(sim, 7);
            v1.getField("energy").setDouble(sim, 1.5);
            v1.getField("legacy").setInt(sim, 3);
            ck.save();
        }
    }

    @Test
    void leniently_loadsWhatStillMatchesAndSaysWhatItDroppedOrDefaulted() throws Exception {
        saveVersion1("lenient");
        String err = StateCheckpointTest.stderrOf(() -> {
            try (StateCheckpoint<Object> ck = builder("lenient", v2).open()) {
                Object sim = ck.state();
                assertTrue(ck.resumed());
                assertEquals(v2, sim.getClass());
                assertEquals(7, v2.getField("step").getLong(sim));
                assertEquals(0f, v2.getField("energy").getFloat(sim), "double to float is not exact: default");
                assertNull(v2.getField("label").get(sim), "an added field is left at its default");
                List<String> report = ck.evolution();
                assertEquals(4, report.size(), report.toString());
                assertTrue(report.stream().anyMatch(l -> l.contains("evo.Sim.legacy") && l.contains("dropped")), report.toString());
                assertTrue(report.stream().anyMatch(l -> l.contains("evo.Sim.notes")), report.toString());
                assertTrue(report.stream().anyMatch(l -> l.contains("evo.Sim.energy")), report.toString());
                assertTrue(report.stream().anyMatch(l -> l.contains("evo.Sim.label") && l.contains("default")), report.toString());
                ck.save(); // and version 2 of the class saves in turn
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(4, err.lines().filter(l -> l.startsWith("[rewind] state 'lenient': evo.Sim.")).count(), err);
    }

    @Test
    void strictly_failsNamingEveryDifference() throws Exception {
        saveVersion1("strict");
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
            () -> builder("strict", v2).strict(true).open());
        String m = e.getMessage();
        assertTrue(m.contains("state 'strict' version 1 cannot be read into the classes of this program"), m);
        assertTrue(m.contains("legacy") && m.contains("notes") && m.contains("energy"), m);
        assertTrue(m.contains("strict(false)"), m);
        try (StateCheckpoint<Object> ck = builder("strict", v1).strict(true).open()) {
            assertTrue(ck.resumed(), "the failed open released the state, and an unchanged class loads strictly");
        }
    }
}
