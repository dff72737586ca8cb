package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips within one JVM: what goes in must come out with the same shape and values. */
class GraphRoundTripTest {

    static final ClassResolver RESOLVER = name -> Class.forName(name, false, GraphRoundTripTest.class.getClassLoader());

    static byte[] write(Object... roots) throws IOException {
        String[] paths = new String[roots.length];
        for (int i = 0; i < roots.length; i++) {
            paths[i] = "root " + i;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new GraphWriter(bytes).write(roots, paths);
        return bytes.toByteArray();
    }

    static Object[] roundTrip(Object... roots) throws IOException {
        return new GraphReader(new ByteArrayInputStream(write(roots)), RESOLVER).read();
    }

    static Object one(Object root) throws IOException {
        return roundTrip(root)[0];
    }

    // ---- test types ----

    static final class Node {
        int value;
        Node next;
        Object payload;

        Node(int value) {
            this.value = value;
        }
    }

    record Point(int x, int y, String label) {
    }

    enum Color { RED, GREEN, BLUE }

    enum Op {
        PLUS { int apply(int a, int b) { return a + b; } },
        TIMES { int apply(int a, int b) { return a * b; } };

        abstract int apply(int a, int b);
    }

    static final class NoDefaultConstructor {
        final long id;
        final String name;
        transient int cached = 42;
        transient Object cache = new Object();

        NoDefaultConstructor(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** Key without hashCode/equals: its bucket depends on the identity hash code, which changes on read. */
    static final class IdentityKey {
        final String name;

        IdentityKey(String name) {
            this.name = name;
        }
    }

    /** Key whose field points back to the map containing it. */
    static final class BackRefKey {
        final int id;
        Map<BackRefKey, String> owner;

        BackRefKey(int id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BackRefKey && ((BackRefKey) o).id == id;
        }

        @Override
        public int hashCode() {
            return id * 31 + owner.size() * 0; // touches the map: it must be complete when hashed
        }
    }

    static final class ByLength implements Comparator<String>, Serializable {
        final boolean descending;

        ByLength(boolean descending) {
            this.descending = descending;
        }

        @Override
        public int compare(String a, String b) {
            int c = Integer.compare(a.length(), b.length());
            if (c == 0) {
                c = a.compareTo(b);
            }
            return descending ? -c : c;
        }
    }

    static class Counter extends LinkedHashMap<String, Integer> {
        int puts;
        transient int ignored = 7;

        @Override
        public Integer put(String key, Integer value) {
            puts++;
            return super.put(key, value);
        }
    }

    static class Base {
        int x = 1;
        private String secret = "base";
    }

    static final class Derived extends Base {
        int x = 2;
        private String secret = "derived";
    }

    int base = 100;

    // ---- tests ----

    @Test
    void sharedIdentityAcrossRoots() throws IOException {
        Node shared = new Node(7);
        List<Node> list = new ArrayList<>(List.of(shared, shared));
        Object[] back = roundTrip(shared, list, new Object[] {shared, list});
        Node n = (Node) back[0];
        @SuppressWarnings("unchecked")
        List<Node> l = (List<Node>) back[1];
        Object[] arr = (Object[]) back[2];
        assertEquals(7, n.value);
        assertSame(n, l.get(0));
        assertSame(n, l.get(1));
        assertSame(n, arr[0]);
        assertSame(l, arr[1]);
    }

    /**
     * Arrays and maps are written in batches of refs (their id lookups overlap): sharing and nulls
     * must come back the same across batch edges, including a map value that is a key of another
     * entry and an element that is the array itself.
     */
    @Test
    void identitiesSurviveTheBatchesOfLargeArraysAndMaps() throws IOException {
        Node[] pool = new Node[37];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new Node(i);
        }
        Object[] array = new Object[1003];
        for (int i = 0; i < array.length; i++) {
            array[i] = i % 5 == 0 ? null : i % 7 == 0 ? array : pool[(i * 31) % pool.length];
        }
        Integer[] boxes = new Integer[501];
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = i; // one Integer object per key (values above 127 are not cached)
        }
        Map<Object, Object> map = new HashMap<>();
        for (int i = 0; i < boxes.length; i++) {
            map.put(boxes[i], i % 3 == 0 ? null : i % 4 == 0 ? boxes[i - 1] : pool[i % pool.length]);
        }
        Object[] back = roundTrip(array, map, pool);
        Object[] a = (Object[]) back[0];
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) back[1];
        Node[] p = (Node[]) back[2];
        for (int i = 0; i < array.length; i++) {
            Object expected = i % 5 == 0 ? null : i % 7 == 0 ? a : p[(i * 31) % p.length];
            assertSame(expected, a[i], "element " + i);
        }
        assertEquals(map.size(), m.size());
        Map<Integer, Object> keys = new HashMap<>();
        for (Object k : m.keySet()) {
            keys.put((Integer) k, k);
        }
        for (int i = 0; i < 501; i++) {
            Object v = m.get(i);
            if (i % 3 == 0) {
                assertNull(v, "value of " + i);
            } else if (i % 4 == 0) {
                // the very Integer object that is the map's key i - 1
                assertEquals(i - 1, v);
                assertSame(keys.get(i - 1), v, "value of " + i + " is key " + (i - 1));
            } else {
                assertSame(p[i % p.length], v, "value of " + i);
            }
        }
    }

    @Test
    void cycles() throws IOException {
        Node a = new Node(1);
        Node b = new Node(2);
        a.next = b;
        b.next = a;
        a.payload = a;
        Object[] self = new Object[1];
        self[0] = self;
        Object[] back = roundTrip(a, self);
        Node ra = (Node) back[0];
        assertEquals(2, ra.next.value);
        assertSame(ra, ra.next.next);
        assertSame(ra, ra.payload);
        Object[] rs = (Object[]) back[1];
        assertSame(rs, rs[0]);
    }

    @Test
    void millionNodeChainNeedsNoRecursion() throws IOException {
        Node head = new Node(0);
        Node tail = head;
        for (int i = 1; i < 1_000_000; i++) {
            tail.next = new Node(i);
            tail = tail.next;
        }
        GraphWriter writer = new GraphWriter(new ByteArrayOutputStream());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writer = new GraphWriter(bytes);
        writer.write(new Object[] {head}, new String[] {"local head"});
        assertEquals(1_000_000, writer.objectCount());
        Node r = (Node) new GraphReader(new ByteArrayInputStream(bytes.toByteArray()), RESOLVER).read()[0];
        int i = 0;
        for (Node n = r; n != null; n = n.next) {
            assertEquals(i++, n.value);
        }
        assertEquals(1_000_000, i);
        // and a long LinkedList, whose nodes are JDK objects
        java.util.LinkedList<Integer> ll = new java.util.LinkedList<>();
        for (int k = 0; k < 200_000; k++) {
            ll.add(k);
        }
        assertEquals(ll, one(ll));
    }

    @Test
    void records() throws IOException {
        Point p = new Point(3, -4, "p");
        Point r = (Point) one(p);
        assertEquals(p, r);
        assertNotSame(p, r);
    }

    @Test
    void enumsIncludingConstantBodies() throws IOException {
        Object[] back = roundTrip(Color.GREEN, Op.TIMES, Op.PLUS, new Object[] {Color.RED, Op.TIMES},
                EnumSet.of(Color.RED, Color.BLUE), new EnumMap<>(Map.of(Color.GREEN, "g")), Comparator.naturalOrder());
        assertSame(Color.GREEN, back[0]);
        assertSame(Op.TIMES, back[1]);
        assertSame(Op.PLUS, back[2]);
        assertEquals(12, ((Op) back[1]).apply(3, 4));
        assertSame(Color.RED, ((Object[]) back[3])[0]);
        assertSame(Op.TIMES, ((Object[]) back[3])[1]);
        assertEquals(EnumSet.of(Color.RED, Color.BLUE), back[4]);
        assertTrue(((EnumSet<?>) back[4]).contains(Color.BLUE));
        assertEquals("g", ((EnumMap<?, ?>) back[5]).get(Color.GREEN));
        assertSame(Comparator.naturalOrder(), back[6]);
    }

    @Test
    void boxedValuesComeBackCanonical() throws IOException {
        @SuppressWarnings({"deprecation", "removal"})
        Integer fresh = new Integer(5);
        Object[] back = roundTrip(fresh, 5L, true, (byte) 3, 'x', (short) 9, 1.5f, 2.5d, 1000, -0.0d, Double.NaN);
        assertSame(Integer.valueOf(5), back[0]);
        assertSame(Long.valueOf(5), back[1]);
        assertSame(Boolean.TRUE, back[2]);
        assertSame(Byte.valueOf((byte) 3), back[3]);
        assertSame(Character.valueOf('x'), back[4]);
        assertSame(Short.valueOf((short) 9), back[5]);
        assertEquals(1.5f, back[6]);
        assertEquals(2.5d, back[7]);
        assertEquals(1000, back[8]);
        assertEquals(Double.doubleToRawLongBits(-0.0d), Double.doubleToRawLongBits((Double) back[9]));
        assertTrue(((Double) back[10]).isNaN());
        // one boxed object referenced twice stays one object
        Integer big = 123456;
        Object[] twice = roundTrip(big, big);
        assertSame(twice[0], twice[1]);
    }

    @Test
    void primitiveAndMultiDimensionalArrays() throws IOException {
        int[] ints = {1, -2, Integer.MAX_VALUE};
        long[] longs = {Long.MIN_VALUE, 0, 5};
        double[] doubles = new double[100_000];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = i * 0.5;
        }
        float[] floats = {1.25f, Float.NaN};
        boolean[] bools = {true, false, true};
        byte[] bytes = new byte[200_001];
        new java.util.Random(1).nextBytes(bytes);
        char[] chars = {'a', '\u20ac', '\uffff'};
        short[] shorts = {-1, 300};
        int[][] grid = {{1, 2}, {3}, null, {}};
        String[][][] cube = {{{"a", null}}, {}};
        Object[] back = roundTrip(ints, longs, doubles, floats, bools, bytes, chars, shorts, grid, cube, new int[0]);
        assertArrayEquals(ints, (int[]) back[0]);
        assertArrayEquals(longs, (long[]) back[1]);
        assertArrayEquals(doubles, (double[]) back[2]);
        assertArrayEquals(floats, (float[]) back[3]);
        assertArrayEquals(bools, (boolean[]) back[4]);
        assertArrayEquals(bytes, (byte[]) back[5]);
        assertArrayEquals(chars, (char[]) back[6]);
        assertArrayEquals(shorts, (short[]) back[7]);
        assertTrue(Arrays.deepEquals(grid, (int[][]) back[8]));
        assertTrue(Arrays.deepEquals(cube, (String[][][]) back[9]));
        assertEquals(String[][][].class, back[9].getClass());
        assertEquals(0, ((int[]) back[10]).length);
    }

    @Test
    void strings() throws IOException {
        String big = "x\u00e9".repeat(100_000);
        String bigUnicode = "\u4e16\u754c\ud83d\ude00".repeat(50_000);
        String[] in = {"", "plain ascii", "caf\u00e9 \u00ff", "\u4e16\u754c \ud83d\ude00 emoji", "\u0000nul", big, bigUnicode};
        Object[] back = roundTrip((Object[]) in);
        for (int i = 0; i < in.length; i++) {
            assertEquals(in[i], back[i]);
        }
        String s = new String("shared");
        Object[] twice = roundTrip(s, new Object[] {s});
        assertSame(twice[0], ((Object[]) twice[1])[0]);
    }

    @Test
    void arrayListKeepsModCountAndCapacity() throws Exception {
        ArrayList<String> list = new ArrayList<>(50);
        for (int i = 0; i < 10; i++) {
            list.add("e" + i);
        }
        list.remove(3);
        @SuppressWarnings("unchecked")
        ArrayList<String> back = (ArrayList<String>) one(list);
        assertEquals(list, back);
        assertEquals(modCount(list), modCount(back));
        assertEquals(11, modCount(back));
        Field data = ArrayList.class.getDeclaredField("elementData");
        assertEquals(50, ((Object[]) UnsafeAccess.getReference(back, UnsafeAccess.objectFieldOffset(data))).length);
    }

    private static int modCount(Object list) throws Exception {
        return UnsafeAccess.getInt(list, UnsafeAccess.objectFieldOffset(java.util.AbstractList.class.getDeclaredField("modCount")));
    }

    @Test
    void hashMapsWithEnumClassAndIdentityKeysStillFindTheirKeys() throws IOException {
        Map<Object, String> map = new HashMap<>();
        map.put(Color.RED, "red");
        map.put(String.class, "string class");
        map.put(int.class, "int class");
        IdentityKey k1 = new IdentityKey("k1");
        IdentityKey k2 = new IdentityKey("k2");
        map.put(k1, "one");
        map.put(k2, "two");
        map.put(null, "null key");
        for (int i = 0; i < 100; i++) {
            map.put(new IdentityKey("filler" + i), "f" + i);
        }
        Object[] back = roundTrip(map, k1, k2);
        @SuppressWarnings("unchecked")
        Map<Object, String> m = (Map<Object, String>) back[0];
        assertEquals(map.size(), m.size());
        assertEquals("red", m.get(Color.RED));
        assertEquals("string class", m.get(String.class));
        assertEquals("int class", m.get(int.class));
        assertEquals("one", m.get(back[1]));
        assertEquals("two", m.get(back[2]));
        assertEquals("null key", m.get(null));
        assertFalse(m.containsKey(k1), "original key object must not be found: identity differs");
        m.put(Color.GREEN, "green");
        assertEquals("green", m.get(Color.GREEN));
    }

    @Test
    void otherHashedCollections() throws IOException {
        IdentityKey a = new IdentityKey("a");
        IdentityKey b = new IdentityKey("b");
        Set<Object> hashSet = new HashSet<>(List.of(a, Color.BLUE));
        Set<Object> linkedSet = new LinkedHashSet<>(List.of(b, a, Color.RED));
        Map<Object, Object> table = new Hashtable<>(Map.of(a, 1));
        Map<Object, Object> chm = new ConcurrentHashMap<>(Map.of(a, 1, b, 2));
        Map<Object, Object> ihm = new IdentityHashMap<>(Map.of(a, 1));
        Map<Object, Object> weak = new WeakHashMap<>(Map.of(a, 1, b, 2));
        Set<Object> setOf = Set.of(a, b, Color.RED, "s");
        Map<Object, Object> mapOf = Map.of(a, 1, b, 2, Color.GREEN, 3);
        Counter counter = new Counter();
        counter.put("x", 1);
        counter.put("y", 2);
        Object[] back = roundTrip(a, b, hashSet, linkedSet, table, chm, ihm, weak, setOf, mapOf, counter);
        Object ra = back[0];
        Object rb = back[1];
        assertTrue(((Set<?>) back[2]).contains(ra));
        assertTrue(((Set<?>) back[2]).contains(Color.BLUE));
        assertEquals(List.of(rb, ra, Color.RED), new ArrayList<>((Set<?>) back[3]));
        assertEquals(1, ((Map<?, ?>) back[4]).get(ra));
        assertEquals(2, ((Map<?, ?>) back[5]).get(rb));
        assertEquals(1, ((Map<?, ?>) back[6]).get(ra));
        assertEquals(2, ((Map<?, ?>) back[7]).get(rb));
        assertTrue(((Set<?>) back[8]).contains(ra));
        assertTrue(((Set<?>) back[8]).contains("s"));
        assertEquals(4, ((Set<?>) back[8]).size());
        assertEquals(3, ((Map<?, ?>) back[9]).get(Color.GREEN));
        assertEquals(2, ((Map<?, ?>) back[9]).get(rb));
        Counter rc = (Counter) back[10];
        assertEquals(2, rc.puts, "overridden put must not run during rebuild");
        assertEquals(0, rc.ignored, "application transient field comes back as default");
        assertEquals(List.of("x", "y"), new ArrayList<>(rc.keySet()));
        assertEquals(2, rc.get("y"));
    }

    @Test
    void linkedHashMapKeepsOrderAndAccessOrder() throws IOException {
        LinkedHashMap<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
        for (String s : List.of("a", "b", "c", "d")) {
            lru.put(s, s.length());
        }
        lru.get("b");
        lru.get("a");
        LinkedHashMap<Object, Integer> insertion = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            insertion.put(new IdentityKey("k" + i), i);
        }
        Object[] back = roundTrip(lru, insertion);
        @SuppressWarnings("unchecked")
        LinkedHashMap<String, Integer> rl = (LinkedHashMap<String, Integer>) back[0];
        assertEquals(List.of("c", "d", "b", "a"), new ArrayList<>(rl.keySet()));
        rl.get("c");
        assertEquals(List.of("d", "b", "a", "c"), new ArrayList<>(rl.keySet()), "access order is kept");
        @SuppressWarnings("unchecked")
        LinkedHashMap<Object, Integer> ri = (LinkedHashMap<Object, Integer>) back[1];
        List<Integer> values = new ArrayList<>(ri.values());
        assertEquals(new ArrayList<>(insertion.values()), values);
        for (Object k : ri.keySet()) {
            assertEquals(ri.get(k), ((IdentityKey) k).name.equals("k" + ri.get(k)) ? ri.get(k) : null);
        }
    }

    @Test
    void hashMapKeyReferringBackToItsMap() throws IOException {
        Map<BackRefKey, String> map = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            BackRefKey k = new BackRefKey(i);
            k.owner = map;
            map.put(k, "v" + i);
        }
        BackRefKey first = map.keySet().iterator().next();
        Map<BackRefKey, String> back = ((BackRefKey) one(first)).owner;
        assertEquals(50, back.size());
        for (BackRefKey k : back.keySet()) {
            assertSame(back, k.owner);
            assertEquals("v" + k.id, back.get(k));
        }
        BackRefKey probe = new BackRefKey(17);
        probe.owner = back;
        assertEquals("v17", back.get(probe));
    }

    @Test
    void nestedMapsAsKeys() throws IOException {
        Map<Map<IdentityKey, Integer>, String> outer = new HashMap<>();
        IdentityKey k = new IdentityKey("inner");
        Map<IdentityKey, Integer> inner = new HashMap<>(Map.of(k, 1));
        outer.put(inner, "found");
        Object[] back = roundTrip(outer, inner);
        assertEquals("found", ((Map<?, ?>) back[0]).get(back[1]));
    }

    @Test
    void treeMapWithComparatorField() throws IOException {
        TreeMap<String, Integer> tree = new TreeMap<>(new ByLength(true));
        for (String s : List.of("a", "ccc", "bb", "dddd")) {
            tree.put(s, s.length());
        }
        TreeMap<String, Integer> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.put("Hello", 1);
        Object[] back = roundTrip(tree, ci);
        @SuppressWarnings("unchecked")
        TreeMap<String, Integer> rt = (TreeMap<String, Integer>) back[0];
        assertEquals(List.of("dddd", "ccc", "bb", "a"), new ArrayList<>(rt.keySet()));
        assertEquals(3, rt.get("ccc"));
        rt.put("eeeee", 5);
        assertEquals("eeeee", rt.firstKey());
        @SuppressWarnings("unchecked")
        TreeMap<String, Integer> rci = (TreeMap<String, Integer>) back[1];
        assertSame(String.CASE_INSENSITIVE_ORDER, rci.comparator());
        assertEquals(1, rci.get("HELLO"));
    }

    @Test
    void shadowedFieldsAreToldApart() throws IOException {
        Derived d = new Derived();
        ((Base) d).x = 10;
        Derived r = (Derived) one(d);
        assertEquals(2, r.x);
        assertEquals(10, ((Base) r).x);
        assertEquals("derived", r.secret);
        assertEquals("base", ((Base) r).secret);
    }

    @Test
    void noDefaultConstructorFinalAndTransientFields() throws IOException {
        NoDefaultConstructor o = new NoDefaultConstructor(99L, "nine");
        NoDefaultConstructor r = (NoDefaultConstructor) one(o);
        assertEquals(99L, r.id);
        assertEquals("nine", r.name);
        assertEquals(0, r.cached, "transient application field is not saved");
        assertNull(r.cache);
    }

    @Test
    void jdkTransientFieldsAreKept() throws IOException {
        HashSet<String> set = new HashSet<>(List.of("a", "b")); // HashSet.map is transient
        ArrayDeque<Integer> deque = new ArrayDeque<>(List.of(1, 2, 3)); // elements is transient
        BigInteger bi = new BigInteger("123456789012345678901234567890");
        BigDecimal bd = new BigDecimal("3.14159");
        Object[] back = roundTrip(set, deque, bi, bd, new StringBuilder("sb\u20ac"), Optional.of("x"));
        assertEquals(set, back[0]);
        assertTrue(((HashSet<?>) back[0]).contains("a"));
        assertEquals(List.of(1, 2, 3), new ArrayList<>((ArrayDeque<?>) back[1]));
        assertEquals(bi, back[2]);
        assertEquals(bd, back[3]);
        assertEquals("sb\u20ac", back[4].toString());
        assertEquals(Optional.of("x"), back[5]);
    }

    @Test
    void jdkSingletonsComeBackIdentical() throws IOException {
        Object[] in = {Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(), Collections.reverseOrder(),
                String.CASE_INSENSITIVE_ORDER, Comparator.naturalOrder(), Comparator.reverseOrder(), List.of(), Set.of(),
                Map.of(), Optional.empty(), Function.identity(), System.out, Collections.emptyIterator(),
                java.nio.charset.StandardCharsets.UTF_8};
        Object[] back = roundTrip(in);
        for (int i = 0; i < in.length; i++) {
            assertSame(in[i], back[i], "singleton " + i);
        }
    }

    @Test
    void classObjects() throws IOException {
        Object[] in = {String.class, int.class, void.class, int[].class, String[][].class, Node.class, Color.class};
        Object[] back = roundTrip(in);
        for (int i = 0; i < in.length; i++) {
            assertSame(in[i], back[i]);
        }
    }

    @Test
    void referencesKeepTheirReferentStrongly() throws IOException {
        Node target = new Node(5);
        WeakReference<Node> weak = new WeakReference<>(target);
        SoftReference<String> soft = new SoftReference<>("soft");
        Object[] back = roundTrip(weak, soft, target);
        @SuppressWarnings("unchecked")
        WeakReference<Node> rw = (WeakReference<Node>) back[0];
        assertSame(back[2], rw.get());
        assertEquals("soft", ((SoftReference<?>) back[1]).get());
        System.gc();
        assertSame(back[2], rw.get(), "still strongly reachable through back[2]");
        assertFalse(rw.enqueue(), "a restored reference is registered with no queue");
    }

    @Test
    void serializableLambdas() throws IOException {
        int[] hits = {0};
        Runnable plain = (Runnable & Serializable) () -> hits[0]++;
        String prefix = "hello ";
        Function<String, String> capturing = (Function<String, String> & Serializable) s -> prefix + s + base;
        Supplier<Integer> methodRef = (Supplier<Integer> & Serializable) this::baseValue;
        IntSupplier noCapture = (IntSupplier & Serializable) () -> 42;
        Function<String, Integer> staticRef = (Function<String, Integer> & Serializable) Integer::parseInt;
        Comparator<String> jdkLambda = Comparator.comparing((Function<String, Integer> & Serializable) String::length);
        Object[] back = roundTrip(plain, hits, capturing, methodRef, noCapture, staticRef, plain, jdkLambda);
        Runnable r = (Runnable) back[0];
        int[] rh = (int[]) back[1];
        r.run();
        r.run();
        assertEquals(2, rh[0], "the lambda captured the restored array");
        assertEquals(0, hits[0]);
        @SuppressWarnings("unchecked")
        Function<String, String> f = (Function<String, String>) back[2];
        assertEquals("hello world100", f.apply("world"));
        base = 5;
        @SuppressWarnings("unchecked")
        Supplier<Integer> m = (Supplier<Integer>) back[3];
        assertEquals(100, m.get(), "bound receiver is the restored copy of this test");
        assertEquals(42, ((IntSupplier) back[4]).getAsInt());
        @SuppressWarnings("unchecked")
        Function<String, Integer> p = (Function<String, Integer>) back[5];
        assertEquals(12, p.apply("12"));
        assertSame(back[0], back[6]);
        @SuppressWarnings("unchecked")
        Comparator<String> c = (Comparator<String>) back[7];
        assertTrue(c.compare("a", "bbb") < 0);
        // a restored lambda can be saved again
        Runnable again = (Runnable) roundTrip(r)[0];
        again.run();
    }

    int baseValue() {
        return base;
    }

    @Test
    void readerStopsAtTheEndOfTheGraph() throws IOException {
        byte[] graph = write("first", List.of(1, 2));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(graph);
        both.write(new byte[] {1, 2, 3});
        ByteArrayInputStream in = new ByteArrayInputStream(both.toByteArray());
        Object[] back = new GraphReader(in, RESOLVER).read();
        assertEquals("first", back[0]);
        assertEquals(3, in.available(), "bytes after the graph are left in the stream");
    }

    @Test
    void nullRootsAndEmptyGraph() throws IOException {
        assertEquals(0, roundTrip().length);
        Object[] back = roundTrip(null, "x", null);
        assertNull(back[0]);
        assertEquals("x", back[1]);
        assertNull(back[2]);
    }
}
