package dev.rewind.internal.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.internal.bytecode.SerializableLambdaPatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native agent's lambda patch (lambda_patch.c), which a program started by {@code rewind run}
 * runs on every class it loads, must produce the same bytes as {@link SerializableLambdaPatch},
 * which the Java agent runs on a resume, and must never crash the JVM on a malformed class file.
 */
class NativeLambdaPatchTest {
    @BeforeAll
    static void loadLibrary() {
        Optional<Path> library = NativeAgentLibrary.find();
        assumeTrue(library.isPresent(), () -> "no native agent on this machine: "
            + NativeAgentLibrary.unavailableReason().orElse("?"));
        System.load(library.get().toString());
    }

    @Test
    void theNativePatchGivesTheSameBytesAsTheJavaPatchForEveryJdkClass() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        int patched = 0;
        int classes = 0;
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.toString().endsWith(".class")) {
                    continue;
                }
                byte[] original = Files.readAllBytes(f);
                byte[] java = SerializableLambdaPatch.apply(original);
                byte[] c = NativeInstrumentation.patchLambdas0(original);
                assertArrayEquals(java, c, f.toString());
                classes++;
                if (c != null) {
                    patched++;
                }
            }
        }
        System.out.println("native lambda patch: " + patched + " of " + classes + " JDK classes patched, as in Java");
        assertTrue(patched > 500, "only " + patched + " JDK classes had lambdas");
    }

    @Test
    void rewindsOwnSamplesArePatchedAlike() throws IOException {
        byte[] samples = sampleClass();
        byte[] java = SerializableLambdaPatch.apply(samples);
        assertNotNull(java);
        assertArrayEquals(java, NativeInstrumentation.patchLambdas0(samples));
        assertNull(NativeInstrumentation.patchLambdas0(classFile(Object.class)));
    }

    @Test
    void aDamagedClassFileNeverCrashesAndNeverGivesOtherBytesThanJava() throws IOException {
        byte[] original = sampleClass();
        assertThrows(IllegalArgumentException.class, () -> NativeInstrumentation.patchLambdas0(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> NativeInstrumentation.patchLambdas0(new byte[0]));
        for (int length = 0; length < original.length; length++) {
            agreeOrRefuse(Arrays.copyOf(original, length), "cut at " + length);
        }
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] flipped = original.clone();
            int at = 8 + random.nextInt(flipped.length - 8);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
            agreeOrRefuse(flipped, "bit flipped at " + at);
        }
    }

    /** When both patches produce a class file, it is the same; a refusal is an IllegalArgumentException. */
    private static void agreeOrRefuse(byte[] damaged, String what) {
        byte[] c;
        try {
            c = NativeInstrumentation.patchLambdas0(damaged);
        } catch (IllegalArgumentException refused) {
            return;
        }
        byte[] java;
        try {
            java = SerializableLambdaPatch.apply(damaged);
        } catch (IllegalArgumentException refused) {
            return; // Java checks a few things C leaves to the JVM's own class file parser
        }
        if (c != null && java != null) {
            assertArrayEquals(java, c, what);
        } else {
            assertEquals(java == null, c == null, what + ": one patch changed the class and the other did not");
        }
    }

    private static byte[] sampleClass() throws IOException {
        try (InputStream in = NativeLambdaPatchTest.class.getResourceAsStream(
                "/dev/rewind/internal/bytecode/LambdaSamples.class")) {
            assertNotNull(in, "LambdaSamples.class");
            return in.readAllBytes();
        }
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
