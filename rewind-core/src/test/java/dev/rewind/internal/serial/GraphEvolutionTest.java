package dev.rewind.internal.serial;

import dev.rewind.CorruptCheckpointException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A graph written with version 1 of some classes and read with version 2, as a program that loads
 * state saved by its previous version does. Both versions are compiled here and loaded by their own
 * class loaders, so the same class name really means two different classes.
 */
class GraphEvolutionTest {

    private static final String[] V1 = {
        "public class Added { public int count; }",
        "public class Item { public int value; public Item next; }",
        "public class Holder { public long total; public Item first; public Item second; public Item orphan; public int tail; }",
        "public class Widen { public byte b; public char c; public float f; public int i; public short s; public int same; }",
        "public class Retype { public int code; public long big; public Object any; public String text;"
                + " public java.util.ArrayList<String> items; }",
        "public class Order { public int a; public String b; public long c; }",
        "public class Base { public int kept; public int old; }",
        "public class Derived extends Base { public String name; }",
        "public class Cell { public int x; public String label; }",
        "public class Registry extends java.util.HashMap<String, Integer> { public int version; }",
        "public enum Mode { A, B }",
        "public enum Shape { ROUND }",
        "public class Gone { public int x; }",
        "public class Stack extends java.util.ArrayList<String> { public int top; }",
    };

    private static final String[] V2 = {
        "public class Added { public int count; public String name = \"unnamed\"; public boolean on = true; }",
        "public class Item { public int value; public Item next; }",
        "public class Holder { public Item second; public int tail; }",
        "public class Widen { public double b; public long c; public double f; public long i; public int s; public int same; }",
        "public class Retype { public String code; public int big; public String any; public Integer text;"
                + " public java.util.List<String> items; }",
        "public class Order { public long c; public String b; public int a; }",
        "public class Base { public int kept; }",
        "public class Derived extends Base { public String name; }",
        "public class Cell { public long x; public String label; public double weight; }",
        "public class Registry extends java.util.HashMap<String, Integer> { public long version; public String owner; }",
        "public enum Mode { A }",
        "public class Shape { }",
        "public class Stack { public int top; }",
    };

    @TempDir
    static Path dir;
    private static ClassLoader v1, v2;

    @BeforeAll
    static void compileBothVersions() throws IOException {
        v1 = compile(dir.resolve("v1"), V1);
        v2 = compile(dir.resolve("v2"), V2);
    }

    /** Compiles classes of package evo, one per source line, and loads them in a class loader of their own. */
    private static ClassLoader compile(Path root, String[] classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "the tests need a JDK, not a JRE");
        Path src = Files.createDirectories(root.resolve("src/evo"));
        Path out = Files.createDirectories(root.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-proc:none"));
        Pattern name = Pattern.compile("(?:class|enum) (\\w+)");
        for (String c : classes) {
            Matcher m = name.matcher(c);
            assertTrue(m.find(), c);
            Path file = src.resolve(m.group(1) + ".java");
            Files.writeString(file, "package evo;\n" + c + "\n");
            args.add(file.toString());
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));
        // the platform loader as parent: version 1 must stay invisible to version 2 and vice versa
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    // ---- helpers ----

    private static Object make(ClassLoader loader, String name, Object... fieldValues) throws Exception {
        Object o = loader.loadClass("evo." + name).getConstructor().newInstance();
        for (int i = 0; i < fieldValues.length; i += 2) {
            set(o, (String) fieldValues[i], fieldValues[i + 1]);
        }
        return o;
    }

    private static void set(Object o, String field, Object value) throws Exception {
        o.getClass().getField(field).set(o, value);
    }

    private static Object get(Object o, String field) throws Exception {
        return o.getClass().getField(field).get(o);
    }

    private static final ClassResolver V2_RESOLVER = name -> Class.forName(name, false, v2);

    private static Object[] read(byte[] bytes, Evolution evolution) throws IOException {
        return new GraphReader(new ByteArrayInputStream(bytes), V2_RESOLVER, evolution).read();
    }

    /** Reads leniently with version 2 and checks the report exactly. */
    private static Object[] readLenient(byte[] bytes, String... report) throws IOException {
        Evolution evolution = Evolution.lenient();
        Object[] roots = read(bytes, evolution);
        assertEquals(List.of(report), evolution.report());
        return roots;
    }

    private static String strictFailure(byte[] bytes, Evolution evolution) {
        return assertThrows(CorruptCheckpointException.class, () -> read(bytes, evolution)).getMessage();
    }

    // ---- adapting ----

    @Test
    void addedFieldsAreLeftAtTheirDefaultWithoutInitialisers() throws Exception {
        byte[] bytes = GraphRoundTripTest.write(make(v1, "Added", "count", 7));
        Object a = readLenient(bytes,
                "evo.Added.name (java.lang.String): not in the saved state, left at its default",
                "evo.Added.on (boolean): not in the saved state, left at its default")[0];
        assertSame(v2, a.getClass().getClassLoader());
        assertEquals(7, get(a, "count"));
        assertNull(get(a, "name"));
        assertEquals(false, get(a, "on"));
    }

    @Test
    void removedFieldsAreReadAndDroppedKeepingIdentities() throws Exception {
        Object shared = make(v1, "Item", "value", 42);
        Object orphanTail = make(v1, "Item", "value", 2);
        Object orphan = make(v1, "Item", "value", 1, "next", orphanTail);
        Object holder = make(v1, "Holder", "total", 123456789012L, "first", shared, "second", shared,
                "orphan", orphan, "tail", 99);
        set(shared, "next", shared);
        byte[] bytes = GraphRoundTripTest.write(holder, shared, "after");
        Object[] roots = readLenient(bytes,
                "evo.Holder.first (evo.Item): saved but no longer in the class, dropped",
                "evo.Holder.orphan (evo.Item): saved but no longer in the class, dropped",
                "evo.Holder.total (long): saved but no longer in the class, dropped");
        Object h = roots[0];
        assertEquals(99, get(h, "tail"));
        // 'first' was dropped but introduced the shared item to the stream: the kept field and the
        // second root must still be that one object
        assertSame(roots[1], get(h, "second"));
        assertEquals(42, get(roots[1], "value"));
        assertSame(roots[1], get(roots[1], "next"));
        assertEquals("after", roots[2]);
    }

    @Test
    void primitivesAreWidenedWhereExact() throws Exception {
        Object w = make(v1, "Widen", "b", (byte) -3, "c", '\uffff', "f", 1.1f, "i", -123456789, "s", (short) -7,
                "same", 5);
        Object back = readLenient(GraphRoundTripTest.write(w),
                "evo.Widen.b (double): widened from byte to double",
                "evo.Widen.c (long): widened from char to long",
                "evo.Widen.f (double): widened from float to double",
                "evo.Widen.i (long): widened from int to long",
                "evo.Widen.s (int): widened from short to int")[0];
        assertEquals(-3.0, get(back, "b"));
        assertEquals(65535L, get(back, "c"));
        assertEquals((double) 1.1f, get(back, "f"));
        assertEquals(-123456789L, get(back, "i"));
        assertEquals(-7, get(back, "s"));
        assertEquals(5, get(back, "same"));
    }

    @Test
    void retypedFieldsKeepOnlyValuesThatFit() throws Exception {
        ArrayList<String> items = new ArrayList<>(List.of("a"));
        Object r1 = make(v1, "Retype", "code", 17, "big", 1L << 40, "any", "hello", "text", "x", "items", items);
        Object r2 = make(v1, "Retype", "code", 18, "any", 5);
        byte[] bytes = GraphRoundTripTest.write(new ArrayList<>(List.of(r1, r2)));
        List<?> back = (List<?>) readLenient(bytes,
                "evo.Retype.big (int): changed from long to int, left at its default",
                "evo.Retype.code (java.lang.String): changed from int to java.lang.String, left at its default",
                "evo.Retype.any (java.lang.String): changed from java.lang.Object to java.lang.String, value kept",
                "evo.Retype.items (java.util.List): changed from java.util.ArrayList to java.util.List, value kept",
                "evo.Retype.text (java.lang.Integer): changed from java.lang.String to java.lang.Integer, left at its default",
                "evo.Retype.any (java.lang.String): changed from java.lang.Object to java.lang.String, left at its default",
                "evo.Retype.text (java.lang.Integer): changed from java.lang.String to java.lang.Integer, value kept")[0];
        Object b1 = back.get(0);
        Object b2 = back.get(1);
        assertNull(get(b1, "code"));
        assertEquals(0, get(b1, "big"));
        assertEquals("hello", get(b1, "any"));
        assertNull(get(b1, "text"));
        assertEquals(List.of("a"), get(b1, "items"));
        assertNull(get(b2, "any"));
        assertNull(get(b2, "items"));
    }

    @Test
    void reorderedDeclarationsNeedNoAdapting() throws Exception {
        Object o = make(v1, "Order", "a", 1, "b", "two", "c", 3L);
        Object back = readLenient(GraphRoundTripTest.write(o))[0];
        assertEquals(1, get(back, "a"));
        assertEquals("two", get(back, "b"));
        assertEquals(3L, get(back, "c"));
        // the strict reader accepts it too: fields are saved by name, not in declaration order
        Object strict = read(GraphRoundTripTest.write(o), Evolution.strict())[0];
        assertEquals("two", get(strict, "b"));
    }

    @Test
    void fieldRemovedFromASuperclassIsReportedOnceForItsDeclaringClass() throws Exception {
        Object d = make(v1, "Derived", "kept", 1, "old", 2, "name", "d");
        Object b = make(v1, "Base", "kept", 3, "old", 4);
        Object[] roots = readLenient(GraphRoundTripTest.write(d, b),
                "evo.Base.old (int): saved but no longer in the class, dropped");
        assertEquals(1, get(roots[0], "kept"));
        assertEquals("d", get(roots[0], "name"));
        assertEquals(3, get(roots[1], "kept"));
    }

    @Test
    void changedObjectsNestedInCollections() throws Exception {
        Object c1 = make(v1, "Cell", "x", Integer.MIN_VALUE, "label", "one");
        Object c2 = make(v1, "Cell", "x", 2, "label", "two");
        List<Object> list = new ArrayList<>(List.of(c1, c2, c1, "end"));
        Map<String, Object> map = new java.util.HashMap<>(Map.of("c2", c2));
        Object[] roots = readLenient(GraphRoundTripTest.write(list, map),
                "evo.Cell.x (long): widened from int to long",
                "evo.Cell.weight (double): not in the saved state, left at its default");
        List<?> l = (List<?>) roots[0];
        assertEquals(4, l.size());
        assertSame(l.get(0), l.get(2));
        assertNotSame(l.get(0), l.get(1));
        assertSame(l.get(1), ((Map<?, ?>) roots[1]).get("c2"));
        assertEquals((long) Integer.MIN_VALUE, get(l.get(0), "x"));
        assertEquals("two", get(l.get(1), "label"));
        assertEquals(0.0, get(l.get(1), "weight"));
        assertEquals("end", l.get(3));
    }

    @Test
    void ownFieldsOfAHashMapSubclass() throws Exception {
        Object r = make(v1, "Registry", "version", 3);
        @SuppressWarnings("unchecked")
        Map<String, Integer> m = (Map<String, Integer>) r;
        m.put("a", 1);
        m.put("b", 2);
        Object back = readLenient(GraphRoundTripTest.write(r),
                "evo.Registry.version (long): widened from int to long",
                "evo.Registry.owner (java.lang.String): not in the saved state, left at its default")[0];
        assertEquals(Map.of("a", 1, "b", 2), back);
        assertEquals(3L, get(back, "version"));
    }

    @Test
    void reportIsEmptyWhenNothingChanged() throws Exception {
        Object item = make(v1, "Item", "value", 5);
        Evolution evolution = Evolution.lenient();
        Object back = read(GraphRoundTripTest.write(item), evolution)[0];
        assertEquals(5, get(back, "value"));
        assertEquals(List.of(), evolution.report());
    }

    // ---- what still fails ----

    @Test
    void strictModeFailsAsBefore() throws Exception {
        byte[] added = GraphRoundTripTest.write(make(v1, "Added", "count", 7));
        String expected = "class evo.Added changed since the checkpoint: field 'name' (java.lang.String) was added; "
                + "restore with the program version that wrote the checkpoint (at byte ";
        String twoArgs = assertThrows(CorruptCheckpointException.class,
                () -> new GraphReader(new ByteArrayInputStream(added), V2_RESOLVER).read()).getMessage();
        assertTrue(twoArgs.startsWith(expected), twoArgs);
        assertEquals(twoArgs, strictFailure(added, Evolution.strict()));
        Evolution strict = Evolution.strict();
        assertThrows(CorruptCheckpointException.class, () -> read(added, strict));
        assertEquals(List.of(), strict.report());

        byte[] holder = GraphRoundTripTest.write(make(v1, "Holder"));
        assertTrue(strictFailure(holder, Evolution.strict()).startsWith("class evo.Holder changed since the checkpoint: "
                + "field 'first' (evo.Item) is gone; restore with"));
        byte[] retype = GraphRoundTripTest.write(make(v1, "Retype"));
        assertTrue(strictFailure(retype, Evolution.strict()).startsWith("class evo.Retype changed since the checkpoint: "
                + "field 'any' changed from java.lang.Object to java.lang.String; restore with"));
    }

    @Test
    void strictReportingNamesEveryDifference() throws Exception {
        byte[] holder = GraphRoundTripTest.write(make(v1, "Holder"));
        String msg = strictFailure(holder, Evolution.strictReporting());
        assertTrue(msg.startsWith("class evo.Holder changed since the checkpoint: field 'first' (evo.Item) is gone, "
                + "field 'orphan' (evo.Item) is gone, field 'total' (long) is gone; restore with"), msg);
        byte[] added = GraphRoundTripTest.write(make(v1, "Added"));
        msg = strictFailure(added, Evolution.strictReporting());
        assertTrue(msg.startsWith("class evo.Added changed since the checkpoint: field 'name' (java.lang.String) was "
                + "added, field 'on' (boolean) was added; restore with"), msg);
    }

    @Test
    void lenientModeStillFailsOnWhatItCannotAdapt() throws Exception {
        Object b = v1.loadClass("evo.Mode").getEnumConstants()[1];
        String msg = strictFailure(GraphRoundTripTest.write(b), Evolution.lenient());
        assertTrue(msg.startsWith("enum evo.Mode has no constant B any more"), msg);

        Object round = v1.loadClass("evo.Shape").getEnumConstants()[0];
        msg = strictFailure(GraphRoundTripTest.write(round), Evolution.lenient());
        assertTrue(msg.startsWith("class evo.Shape changed since the checkpoint: it is no longer an enum"), msg);

        msg = strictFailure(GraphRoundTripTest.write(make(v1, "Gone")), Evolution.lenient());
        assertEquals("class evo.Gone not found: the checkpoint needs the program's classes on the class path", msg);

        // a JDK class never differs unless another JDK wrote the checkpoint: no leniency for it
        byte[] added = GraphRoundTripTest.write(make(v1, "Added", "count", 7));
        ClassResolver jdk = name -> name.equals("evo.Added") ? java.util.concurrent.atomic.AtomicLong.class
                : V2_RESOLVER.resolve(name);
        msg = assertThrows(CorruptCheckpointException.class,
                () -> new GraphReader(new ByteArrayInputStream(added), jdk, Evolution.lenient()).read()).getMessage();
        assertTrue(msg.startsWith("class java.util.concurrent.atomic.AtomicLong changed since the checkpoint: "
                + "field 'count' (int) is gone, field 'value' (long) was added; restore with"), msg);

        // nor for the fields an application class inherits from a JDK class
        Object stack = make(v1, "Stack", "top", 1);
        Evolution evolution = Evolution.lenient();
        msg = strictFailure(GraphRoundTripTest.write(stack), evolution);
        assertTrue(msg.startsWith("class evo.Stack changed since the checkpoint: field 'modCount' (int) is gone, "
                + "field 'elementData' (java.lang.Object[]) is gone, field 'size' (int) is gone; restore with"), msg);
        assertEquals(List.of(), evolution.report());
    }

    @Test
    void corruptEvolvedGraphsFailCleanly() throws Exception {
        Object shared = make(v1, "Item", "value", 42);
        List<Object> all = new ArrayList<>();
        all.add(make(v1, "Holder", "total", 5L, "first", shared, "second", shared, "orphan", make(v1, "Item")));
        all.add(make(v1, "Widen", "i", 3, "c", 'x'));
        all.add(make(v1, "Retype", "any", "s", "text", "t", "items", new ArrayList<>(List.of("i"))));
        all.add(make(v1, "Derived", "name", "n"));
        all.add(make(v1, "Cell", "x", 1));
        all.add(shared);
        byte[] bytes = GraphRoundTripTest.write(all);
        assertEquals(6, ((List<?>) read(bytes, Evolution.lenient())[0]).size());
        Random random = new Random(20250101L);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int len = 0; len < bytes.length; len++) {
                byte[] cut = Arrays.copyOf(bytes, len);
                assertThrows(CorruptCheckpointException.class, () -> read(cut, Evolution.lenient()), "truncated at " + len);
            }
            for (int round = 0; round < 3000; round++) {
                byte[] bad = bytes.clone();
                int at = 6 + random.nextInt(bad.length - 6);
                bad[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : bad[at] ^ (1 << random.nextInt(8)));
                try {
                    read(bad, Evolution.lenient());
                } catch (CorruptCheckpointException e) {
                    if (e.getMessage() == null || e.getMessage().isEmpty()) {
                        fail("empty message for a flip at " + at);
                    }
                } catch (Throwable t) {
                    throw new AssertionError("unexpected " + t + " for a flip at " + at, t);
                }
            }
        });
    }
}
