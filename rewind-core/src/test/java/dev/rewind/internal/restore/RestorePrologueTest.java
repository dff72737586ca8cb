package dev.rewind.internal.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.internal.bytecode.MethodFrames;
import dev.rewind.internal.bytecode.OneClassLoader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Transformation tests: a restore prologue at EVERY call site of every method must leave the class
 * verifiable and its behaviour unchanged when no restore is under way.
 */
class RestorePrologueTest {

    /** Inserts prologues for every call site that capture could save (no object under construction). */
    static byte[] withProloguesEverywhere(byte[] original, int[] count) {
        ClassReader reader = new ClassReader(original);
        ClassNode node = new ClassNode();
        reader.accept(node, ClassReader.EXPAND_FRAMES);
        int id = 10_000;
        for (MethodNode m : node.methods) {
            if (m.instructions.size() == 0 || m.name.equals("<init>") || m.name.equals("<clinit>")) {
                continue;
            }
            MethodFrames analysis = MethodFrames.analyze(original, m.name, m.desc);
            List<Integer> sites = new ArrayList<>();
            for (int i = 0; i < analysis.instructionCount(); i++) {
                if (analysis.instruction(i) instanceof MethodInsnNode && restorable(analysis, i)) {
                    sites.add(i);
                }
            }
            if (sites.isEmpty()) {
                continue;
            }
            count[0] += sites.size();
            RestorePrologue.insert(node.name, m, analysis, id++, sites.stream().mapToInt(Integer::intValue).toArray(),
                RestorePrologue.RUNTIME);
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        node.accept(writer);
        return writer.toByteArray();
    }

    private static boolean restorable(MethodFrames a, int i) {
        Object[] locals = a.locals(i);
        Object[] stack = a.stack(i);
        if (locals == null || stack == null || a.monitorDepth(i) < 0) {
            return false;
        }
        for (Object[] types : new Object[][] {locals, stack}) {
            for (Object t : types) {
                if (t instanceof Label || t == Opcodes.UNINITIALIZED_THIS) {
                    return false;
                }
            }
        }
        return true;
    }

    static byte[] bytes(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java.util.ArrayList", "java.util.HashMap", "java.util.TreeMap", "java.lang.Iterable",
        "java.util.LinkedList", "java.util.concurrent.ConcurrentHashMap", "java.lang.String", "java.util.Collections",
        "dev.rewind.internal.restore.PrologueTarget"})
    void everyCallSiteVerifies(String className) throws Exception {
        Class<?> c = Class.forName(className);
        int[] count = {0};
        byte[] transformed = withProloguesEverywhere(bytes(c), count);
        StringWriter errors = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(transformed), getClass().getClassLoader(), false,
            new PrintWriter(errors));
        assertTrue(count[0] > 5, "too few call sites in " + className);
        assertEquals("", errors.toString(), "verifier errors after inserting " + count[0] + " prologues");
    }

    /**
     * The JVM's own type-checking verifier (which, unlike ASM's, checks the stack map frames the
     * prologues add): JDK classes renamed out of java.* and defined in a fresh loader.
     */
    @ParameterizedTest(name = "{0}")
    // not LinkedList: on JDK 21+ its reversed() returns a nested subclass, which stays a subclass of the
    // original, not of the renamed copy, so the copy fails verification whatever the prologues do
    @ValueSource(strings = {"java.util.ArrayList", "java.util.HashMap", "java.util.TreeMap", "java.lang.Iterable",
        "java.util.PriorityQueue", "java.util.ArrayDeque"})
    void jvmVerifiesJdkClassesWithPrologues(String className) throws Exception {
        Class<?> c = Class.forName(className);
        int[] count = {0};
        byte[] transformed = withProloguesEverywhere(bytes(c), count);
        String internal = className.replace('.', '/');
        String renamed = "rwtest/" + internal.substring(internal.lastIndexOf('/') + 1);
        ClassWriter w = new ClassWriter(0);
        new ClassReader(transformed).accept(new org.objectweb.asm.commons.ClassRemapper(w,
            new org.objectweb.asm.commons.SimpleRemapper(internal, renamed)), 0);
        OneClassLoader loader = new OneClassLoader(renamed.replace('/', '.'), w.toByteArray());
        Class<?> copy = Class.forName(renamed.replace('/', '.'), true, loader); // links, hence verifies
        assertEquals(loader, copy.getClassLoader());
    }

    @Test
    void behaviourUnchangedWithoutRestore() throws Exception {
        int[] count = {0};
        byte[] transformed = withProloguesEverywhere(bytes(PrologueTarget.class), count);
        Class<?> copy = new OneClassLoader(PrologueTarget.class.getName(), transformed)
            .loadClass(PrologueTarget.class.getName());
        Object original = new PrologueTarget();
        Object changed = copy.getConstructor().newInstance();
        Map<String, Object> expected = new HashMap<>();
        Map<String, Object> actual = new HashMap<>();
        for (String name : new String[] {"operandStack", "locks", "exceptions", "mixed", "lambdas"}) {
            Method a = PrologueTarget.class.getMethod(name, int.class);
            Method b = copy.getMethod(name, int.class);
            expected.put(name, a.invoke(original, 40));
            actual.put(name, b.invoke(changed, 40));
        }
        assertEquals(expected, actual);
    }
}
