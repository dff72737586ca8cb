package dev.rewind.internal.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

class SerializableLambdaPatchTest {
    private static final String LMF = "java/lang/invoke/LambdaMetafactory";
    private static final String ALT_DESC = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
        + "Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;";

    @Test
    void patchedLambdasAreSerializableAndBehaveTheSame() throws Exception {
        byte[] original = classFile(LambdaSamples.class);
        byte[] patched = SerializableLambdaPatch.apply(original);
        assertNotNull(patched, "LambdaSamples has lambdas to patch");
        // defined by a loader of its own, so that the JVM verifies the patched class
        Class<?> copy = new OneClassLoader(LambdaSamples.class.getName(), patched)
            .loadClass(LambdaSamples.class.getName());
        assertEquals(LambdaSamples.results(7), copy.getMethod("results", int.class).invoke(null, 7));
        List<?> lambdas = (List<?>) copy.getMethod("all", int.class).invoke(null, 7);
        List<String> implementations = new ArrayList<>();
        for (Object lambda : lambdas.subList(0, lambdas.size() - 1)) { // the last one is the JDK's Comparator
            assertTrue(lambda instanceof Serializable, lambda + " is not serializable");
            Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            SerializedLambda s = (SerializedLambda) writeReplace.invoke(lambda);
            implementations.add(s.getImplMethodName());
            assertEquals(LambdaSamples.class.getName().replace('.', '/'), s.getCapturingClass());
        }
        assertTrue(implementations.containsAll(List.of("length", "<init>", "max")), implementations.toString());
        List<Object> plain = LambdaSamples.all(7);
        for (Object lambda : plain.subList(0, plain.size() - 1)) { // the JDK declares its Comparator serializable
            assertTrue(!(lambda instanceof Serializable), "the unpatched class's lambdas are plain: " + lambda);
        }
    }

    @Test
    void everyLambdaBootstrapOfTheJdkIsSwitchedExactlyAsAsmWouldAndNothingElseChanges() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        int classes = 0;
        int bootstraps = 0;
        try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                try (Stream<Path> files = Files.walk(module)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        if (!f.toString().endsWith(".class")) {
                            continue;
                        }
                        byte[] original = Files.readAllBytes(f);
                        byte[] patched = SerializableLambdaPatch.apply(original);
                        List<String> expected = indys(original, true);
                        if (patched == null) {
                            assertEquals(indys(original, false), expected,
                                f + ": left alone, but has metafactory calls");
                            continue;
                        }
                        classes++;
                        List<String> actual = indys(patched, false);
                        assertEquals(expected, actual, f.toString());
                        bootstraps += expected.stream().filter(s -> s.contains("altMetafactory")).count();
                        assertEquals(code(original), code(patched), f + ": method bodies changed");
                    }
                }
            }
        }
        System.out.println("patched " + classes + " JDK classes, " + bootstraps + " lambda call sites");
        assertTrue(classes > 500, "only " + classes + " JDK classes had lambdas");
    }

    @Test
    void classesWithoutLambdasAreLeftAlone() throws IOException {
        assertNull(SerializableLambdaPatch.apply(classFile(SerializableLambdaPatch.class))); // string concat indys only
        assertNull(SerializableLambdaPatch.apply(classFile(Object.class)));
    }

    @Test
    void aDamagedClassFileIsRefusedWithoutAnyOtherException() throws IOException {
        byte[] original = classFile(LambdaSamples.class);
        assertThrows(IllegalArgumentException.class, () -> SerializableLambdaPatch.apply(new byte[] {1, 2, 3, 4, 5}));
        for (int length = 0; length < original.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(original, length);
            try {
                byte[] out = SerializableLambdaPatch.apply(cut);
                // a cut in the last attributes can go unnoticed; the JVM refuses such a file anyway
                assertTrue(out == null || out.length > length, "length " + length);
            } catch (IllegalArgumentException expected) {
                // reported as malformed
            }
        }
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] flipped = original.clone();
            flipped[8 + random.nextInt(flipped.length - 8)] ^= (byte) (1 << random.nextInt(8));
            try {
                SerializableLambdaPatch.apply(flipped);
            } catch (IllegalArgumentException expected) {
                // reported as malformed
            }
        }
    }

    @Test
    void theConstantPoolKeepsItsIndexes() throws IOException {
        byte[] original = classFile(LambdaSamples.class);
        byte[] patched = SerializableLambdaPatch.apply(original);
        int count = (original[8] & 0xFF) << 8 | original[9] & 0xFF;
        assertEquals(count + 6, (patched[8] & 0xFF) << 8 | patched[9] & 0xFF);
        int poolEnd = new ClassReader(original).header; // the constant pool ends where the access flags start
        assertTrue(java.util.Arrays.equals(original, 10, poolEnd, patched, 10, poolEnd), "the old constants moved");
        // two Utf8, a NameAndType, a Methodref, a MethodHandle and an Integer
        int added = 3 + "altMetafactory".length() + 3 + ALT_DESC.length() + 5 + 5 + 4 + 5;
        assertEquals(poolEnd + added, new ClassReader(patched).header, "six constants appended");
    }

    /**
     * @return every invokedynamic of the class; with {@code switched}, the metafactory ones as the
     *     patch should make them
     */
    private static List<String> indys(byte[] classFile, boolean switched) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        List<String> out = new ArrayList<>();
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof InvokeDynamicInsnNode) {
                    InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                    Handle bsm = indy.bsm;
                    List<Object> args = new ArrayList<>(List.of(indy.bsmArgs));
                    if (switched && bsm.getOwner().equals(LMF) && bsm.getName().equals("metafactory")
                            && args.size() == 3) {
                        bsm = new Handle(Opcodes.H_INVOKESTATIC, LMF, "altMetafactory", ALT_DESC, false);
                        args.add(1);
                    }
                    out.add(m.name + m.desc + " " + indy.name + indy.desc + " " + bsm + " " + args);
                }
            }
        }
        return out;
    }

    /** @return each method's name, descriptor and opcodes */
    private static List<String> code(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
        List<String> out = new ArrayList<>();
        for (MethodNode m : node.methods) {
            StringBuilder sb = new StringBuilder(m.name).append(m.desc).append(':');
            for (AbstractInsnNode insn : m.instructions) {
                sb.append(' ').append(insn.getOpcode());
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
