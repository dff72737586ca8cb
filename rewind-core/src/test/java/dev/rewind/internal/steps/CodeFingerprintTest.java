package dev.rewind.internal.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.RewindException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Each test compiles versions of one small program, each into its own class loader, takes a step
 * body from a static method of each, and compares their fingerprints.
 */
class CodeFingerprintTest {
    /** The program the tests edit. Every edit below names text that must occur in it. */
    private static final String STEPS = """
        package demo;

        import java.util.ArrayList;
        import java.util.Comparator;
        import java.util.List;
        import java.util.stream.Collectors;
        import java.util.stream.Stream;

        public class Steps {
            /** The step interface, shaped like Pipeline's: serializable, so javac emits serializable lambdas. */
            public interface Step<T> extends java.io.Serializable {
                T run() throws Exception;
            }

            static final int LIMIT = 10;
            static final String NAME = "alpha";
            static final List<String> NAMES = List.of("x", "y");

            //ABOVE-BODY
            public static Step<Integer> body() {
                return () -> helper(3) + 1;
            }

            static int helper(int x) {
                return deeper(x) * 2;
            }

            static int deeper(int x) {
                int y = x + 7;
                return y;
            }

            static int unrelated(int x) {
                return x - 1;
            }

            public static Step<List<String>> reference() {
                return Steps::load;
            }

            static List<String> load() {
                return Stream.of("a", "b").map(s -> shout(s)).collect(Collectors.toList());
            }

            static String shout(String s) {
                return s.toUpperCase();
            }

            public static Step<List<Integer>> nested() {
                return () -> List.of(1, 2, 3).stream().map(x -> helper(x)).toList();
            }

            public static Step<Integer> recursive() {
                return () -> fact(5) + (isEven(4) ? 1 : 0);
            }

            static int fact(int n) {
                return n <= 1 ? 1 : n * fact(n - 1);
            }

            static boolean isEven(int n) {
                return n == 0 || isOdd(n - 1);
            }

            static boolean isOdd(int n) {
                return n != 0 && isEven(n - 1);
            }

            public static Step<Integer> anonymous() {
                return new Step<Integer>() {
                    @Override
                    public Integer run() {
                        return helper(2);
                    }
                };
            }

            public static Step<String> constants() {
                return () -> NAME + LIMIT;
            }

            public static Step<String> staticList() {
                return () -> String.join(",", NAMES);
            }

            public static Step<Integer> inherited() {
                return () -> new Sub().value();
            }

            static class Base {
                int value() {
                    return 40;
                }
            }

            static class Sub extends Base {
            }

            public static Step<List<Integer>> sorted() {
                return () -> {
                    List<Integer> list = new ArrayList<>(List.of(3, 1, 2));
                    list.sort(new Comparator<Integer>() {
                        @Override
                        public int compare(Integer a, Integer b) {
                            return a - b;
                        }
                    });
                    return list;
                };
            }

            public static Step<List<Integer>> sortedBySubclass() {
                return () -> {
                    List<Integer> list = new ArrayList<>(List.of(3, 1, 2));
                    list.sort(new Descending());
                    return list;
                };
            }

            static class Ordering implements Comparator<Integer> {
                @Override
                public int compare(Integer a, Integer b) {
                    return Integer.compare(a, b);
                }
            }

            static class Descending extends Ordering {
            }

            public static Step<Integer> capturing() {
                Step<Integer> inner = () -> helper(1);
                return () -> inner.run() + 1;
            }

            public static Step<Integer> external() {
                return () -> External.twice(4);
            }

            public static java.util.function.Supplier<Integer> notSerializable() {
                return () -> 1;
            }
        }
        """;

    private static final String EXTERNAL = """
        package demo;

        public class External {
            public static int twice(int x) {
                return 2 * x;
            }
        }
        """;

    @TempDir
    Path tmp;

    private final AtomicInteger versions = new AtomicInteger();

    @Test
    void sameSourceInTwoLoadersGivesTheSameFingerprint() throws Exception {
        for (String step : List.of("body", "reference", "nested", "recursive", "anonymous", "constants", "staticList",
                "inherited", "sorted", "sortedBySubclass", "capturing", "external")) {
            CodeFingerprint.Result a = fingerprint(STEPS, step);
            CodeFingerprint.Result b = fingerprint(STEPS, step);
            assertEquals(a, b, step);
            assertEquals(64, a.hash().length(), step);
        }
    }

    @Test
    void listsTheMethodsThatWentIn() throws Exception {
        List<String> methods = fingerprint(STEPS, "body").methods();
        // javac names a serializable lambda lambda$<method>$<hash>$<n>
        assertTrue(methods.get(0).matches("demo\\.Steps\\.lambda\\$body\\$.*\\(\\)Ljava/lang/Integer;"), methods.get(0));
        assertEquals(List.of("demo.Steps.helper(I)I", "demo.Steps.deeper(I)I"), methods.subList(1, methods.size()));
    }

    @Test
    void changingTheLambdaBodyChangesIt() throws Exception {
        assertChanges("body", "return () -> helper(3) + 1;", "return () -> helper(3) + 2;");
    }

    @Test
    void changingAHelperTwoCallsDeepChangesIt() throws Exception {
        assertChanges("body", "int y = x + 7;", "int y = x + 8;");
    }

    @Test
    void commentsBlankLinesAndLocalNamesDoNotChangeIt() throws Exception {
        String edited = edit(edit(edit(STEPS,
            "public class Steps {", "// a comment\n\n\n/* and a block\n comment */\npublic class Steps {\n\n\n"),
            "static int deeper(int x) {\n        int y = x + 7;\n        return y;",
            "static int deeper(int x) {\n        // renamed local, moved lines\n\n        int sum = x + 7;\n\n        return sum;"),
            "return () -> helper(3) + 1;", "return () ->\n            helper(3)\n            + 1;");
        for (String step : List.of("body", "anonymous", "sorted", "nested")) {
            assertEquals(fingerprint(STEPS, step).hash(), fingerprint(edited, step).hash(), step);
        }
    }

    @Test
    void changingAMethodTheStepNeverCallsDoesNotChangeIt() throws Exception {
        assertSame("body", "return x - 1;", "return x * 1000;");
    }

    @Test
    void addingAStepAboveDoesNotRenumberTheOthers() throws Exception {
        // javac names lambdas lambda$<method>$<n> and anonymous classes Steps$<n> with class-wide counters
        String added = """
            public static Step<Integer> added() {
                    Runnable r = new Runnable() {
                        public void run() {
                        }
                    };
                    return () -> 99;
                }

                public static Step<Integer> body() {""";
        String edited = edit(STEPS, "public static Step<Integer> body() {", added);
        for (String step : List.of("body", "anonymous", "sorted", "capturing", "nested")) {
            assertEquals(fingerprint(STEPS, step).hash(), fingerprint(edited, step).hash(), step);
        }
    }

    @Test
    void followsMethodReferencesAndTheLambdasInside() throws Exception {
        assertChanges("reference", "return s.toUpperCase();", "return s.toLowerCase();");
        assertTrue(fingerprint(STEPS, "reference").methods().contains("demo.Steps.shout(Ljava/lang/String;)Ljava/lang/String;"));
        assertChanges("nested", "int y = x + 7;", "int y = x + 8;");
    }

    @Test
    void recursionTerminates() throws Exception {
        List<String> methods = fingerprint(STEPS, "recursive").methods();
        assertTrue(methods.get(0).startsWith("demo.Steps.lambda$recursive$"), methods.get(0));
        assertEquals(List.of("demo.Steps.fact(I)I", "demo.Steps.isEven(I)Z", "demo.Steps.isOdd(I)Z"),
            methods.subList(1, methods.size()));
        assertChanges("recursive", "return n != 0 && isEven(n - 1);", "return n != 0 && !isEven(n - 1);");
    }

    @Test
    void anAnonymousClassStepBody() throws Exception {
        List<String> methods = fingerprint(STEPS, "anonymous").methods();
        assertTrue(methods.contains("demo.Steps$1.run()Ljava/lang/Integer;"), methods.toString());
        assertTrue(methods.contains("demo.Steps.deeper(I)I"), methods.toString());
        assertChanges("anonymous", "return helper(2);", "return helper(3);");
        assertChanges("anonymous", "int y = x + 7;", "int y = x + 8;");
        assertSame("anonymous", "return x - 1;", "return x * 1000;");
    }

    @Test
    void staticFinalConstantsAreInIt() throws Exception {
        assertChanges("constants", "static final int LIMIT = 10;", "static final int LIMIT = 11;");
        assertChanges("constants", "static final String NAME = \"alpha\";", "static final String NAME = \"beta\";");
        // not a constant: its value comes from the static initialiser, which is followed
        assertChanges("staticList", "List.of(\"x\", \"y\")", "List.of(\"x\", \"z\")");
    }

    @Test
    void constantValueAttributeOfAFieldReadIsInIt() throws Exception {
        // javac inlines constants, so the ConstantValue path needs a GETSTATIC javac never emits
        String a = CodeFingerprint.ofMethod(generatedConstantReader(5), "read", "()I");
        assertEquals(a, CodeFingerprint.ofMethod(generatedConstantReader(5), "read", "()I"));
        assertNotEquals(a, CodeFingerprint.ofMethod(generatedConstantReader(6), "read", "()I"));
    }

    @Test
    void followsAnInheritedMethodToItsSuperclass() throws Exception {
        assertChanges("inherited", "return 40;", "return 41;");
        assertTrue(fingerprint(STEPS, "inherited").methods().contains("demo.Steps$Base.value()I"));
    }

    @Test
    void followsTheMethodsOfAnAnonymousClassHandedToTheJdk() throws Exception {
        assertChanges("sorted", "return a - b;", "return b - a;");
    }

    @Test
    void followsAnOverrideInheritedByAClassHandedToTheJdk() throws Exception {
        assertChanges("sortedBySubclass", "return Integer.compare(a, b);", "return Integer.compare(b, a);");
    }

    @Test
    void followsACapturedLambda() throws Exception {
        assertChanges("capturing", "int y = x + 7;", "int y = x + 8;");
    }

    @Test
    void aMissingClassFileIsNotedNotFatal() throws Exception {
        Path dir = tmp.resolve("v" + versions.incrementAndGet());
        try (URLClassLoader loader = SourceCompiler.compile(dir, Map.of("demo.Steps", STEPS, "demo.External", EXTERNAL))) {
            Files.delete(SourceCompiler.classes(dir).resolve("demo/External.class"));
            CodeFingerprint.Result r = CodeFingerprint.explain(SourceCompiler.call(loader, "demo.Steps", "external"));
            assertTrue(r.methods().contains("demo.External.twice(I)I (bytes unavailable)"), r.methods().toString());
            assertNotEquals(fingerprint(STEPS, "external").hash(), r.hash());
        }
    }

    @Test
    void refusesALambdaThatIsNotSerializable() throws Exception {
        try (URLClassLoader loader = compile(STEPS)) {
            Object plain = SourceCompiler.call(loader, "demo.Steps", "notSerializable");
            RewindException e = assertThrows(RewindException.class, () -> CodeFingerprint.of(plain));
            assertTrue(e.getMessage().contains("Serializable"), e.getMessage());
        }
    }

    @Test
    void fingerprintsFromAGivenMethod() throws Exception {
        try (URLClassLoader a = compile(STEPS); URLClassLoader b = compile(STEPS);
                URLClassLoader c = compile(edit(STEPS, "int y = x + 7;", "int y = x + 8;"))) {
            String fa = CodeFingerprint.ofMethod(a.loadClass("demo.Steps"), "helper", "(I)I");
            assertEquals(fa, CodeFingerprint.ofMethod(b.loadClass("demo.Steps"), "helper", "(I)I"));
            assertNotEquals(fa, CodeFingerprint.ofMethod(c.loadClass("demo.Steps"), "helper", "(I)I"));
            assertThrows(IllegalArgumentException.class,
                () -> CodeFingerprint.ofMethod(a.loadClass("demo.Steps"), "helper", "(J)I"));
        }
        List<String> library = CodeFingerprint.explainMethod(String.class, "length", "()I").methods();
        assertEquals(List.of("java.lang.String.length()I (library code: not followed)"), library);
    }

    @Test
    void printsHowLongAStepOfTwentyMethodsTakes() throws Exception {
        StringBuilder chain = new StringBuilder("""
            package demo;

            public class Chain {
                public interface Step<T> extends java.io.Serializable {
                    T run() throws Exception;
                }

                public static Step<Long> body() {
                    return () -> m0(1L);
                }
            """);
        for (int i = 0; i < 20; i++) {
            String next = i < 19 ? "m" + (i + 1) + "(x * 31 + " + i + ")" : "x";
            chain.append("    static long m").append(i).append("(long x) {\n")
                .append("        if (x % 7 == ").append(i % 7).append(") {\n")
                .append("            return String.valueOf(x).length() + ").append(next).append(";\n")
                .append("        }\n")
                .append("        return ").append(next).append(" - 1;\n")
                .append("    }\n");
        }
        chain.append("}\n");
        try (URLClassLoader loader = SourceCompiler.compile(tmp.resolve("chain"), Map.of("demo.Chain", chain.toString()))) {
            Object body = SourceCompiler.call(loader, "demo.Chain", "body");
            long start = System.nanoTime();
            CodeFingerprint.Result first = CodeFingerprint.explain(body);
            long firstNanos = System.nanoTime() - start;
            int runs = 50;
            start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                assertEquals(first.hash(), CodeFingerprint.of(body));
            }
            long warmNanos = (System.nanoTime() - start) / runs;
            assertEquals(21, first.methods().size(), first.methods().toString());
            System.out.printf("CodeFingerprint: lambda reaching %d methods: first call %.2f ms, then %.3f ms per call%n",
                first.methods().size(), firstNanos / 1e6, warmNanos / 1e6);
        }
    }

    // ---- helpers ----

    private CodeFingerprint.Result fingerprint(String source, String step) throws Exception {
        try (URLClassLoader loader = compile(source)) {
            return CodeFingerprint.explain(SourceCompiler.call(loader, "demo.Steps", step));
        }
    }

    private URLClassLoader compile(String source) throws IOException {
        return SourceCompiler.compile(tmp.resolve("v" + versions.incrementAndGet()),
            Map.of("demo.Steps", source, "demo.External", EXTERNAL));
    }

    private void assertChanges(String step, String from, String to) throws Exception {
        assertNotEquals(fingerprint(STEPS, step).hash(), fingerprint(edit(STEPS, from, to), step).hash(),
            step + ": " + from + " -> " + to);
    }

    private void assertSame(String step, String from, String to) throws Exception {
        assertEquals(fingerprint(STEPS, step).hash(), fingerprint(edit(STEPS, from, to), step).hash(),
            step + ": " + from + " -> " + to);
    }

    private static String edit(String source, String from, String to) {
        assertTrue(source.contains(from), "the test source has no " + from);
        String edited = source.replace(from, to);
        assertFalse(edited.equals(source));
        return edited;
    }

    /** A class javac cannot produce: a method that reads its own constant field with GETSTATIC. */
    private Class<?> generatedConstantReader(int value) throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/Consts", null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "LIMIT", "I", null, value).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "read", "()I", null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, "gen/Consts", "LIMIT", "I");
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        Path classes = tmp.resolve("gen" + versions.incrementAndGet());
        Files.createDirectories(classes.resolve("gen"));
        Files.write(classes.resolve("gen/Consts.class"), cw.toByteArray());
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        return Class.forName("gen.Consts", false, loader);
    }
}
