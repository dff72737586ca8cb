package dev.rewind.internal.restore;

import dev.rewind.internal.bytecode.ClassBytes;
import dev.rewind.internal.bytecode.MethodFrames;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The part of {@link RestoreTransformer} that needs ASM, kept apart so that ASM is loaded only in a
 * JVM that resumes: restore prologues, static initialisers that write saved statics, and (in the same
 * pass) serializable lambdas.
 */
final class PrologueTransform {
    private static final String LMF = "java/lang/invoke/LambdaMetafactory";
    private static final Handle ALT_METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC, LMF, "altMetafactory",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)"
            + "Ljava/lang/invoke/CallSite;", false);
    private static final int FLAG_SERIALIZABLE = 1;

    private PrologueTransform() {
    }

    /** @return the transformed class file, or null when nothing changed */
    static byte[] apply(ClassLoader loader, String className, String binaryName, boolean jdk, boolean restore,
            boolean lambdas, boolean skipInit, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassNode node = new ClassNode();
        reader.accept(node, restore ? ClassReader.EXPAND_FRAMES : 0);
        boolean changed = lambdas && serializableLambdas(node);
        if (skipInit) {
            restoreInitializer(node, binaryName);
            changed = true;
        }
        Map<String, int[]> prologues = new HashMap<>();
        if (restore) {
            for (MethodNode m : node.methods) {
                int id = RestorePlan.idOf(binaryName, m.name, m.desc);
                if (id < 0) {
                    continue;
                }
                MethodFrames analysis = MethodFrames.analyze(bytes, m.name, m.desc);
                int[] sites = RestorePlan.sitesOf(binaryName, m.name, m.desc);
                AbstractInsnNode[] before = dev.rewind.internal.bytecode.Instructions.real(m.instructions);
                RestorePrologue.insert(node.name, m, analysis, id, sites,
                    jdk ? RestorePrologue.BRIDGE : RestorePrologue.RUNTIME);
                prologues.put(m.name + m.desc, originalIndexes(before, m));
                changed = true;
            }
        }
        if (!changed) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        node.accept(writer);
        byte[] out = writer.toByteArray();
        ClassBytes.record(loader, className, new ClassBytes.Transformed(bytes, out, prologues));
        return out;
    }

    /** Maps each instruction of the transformed method to its index before the transformation. */
    private static int[] originalIndexes(AbstractInsnNode[] before, MethodNode m) {
        java.util.Map<AbstractInsnNode, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < before.length; i++) {
            index.put(before[i], i);
        }
        AbstractInsnNode[] after = dev.rewind.internal.bytecode.Instructions.real(m.instructions);
        int[] map = new int[after.length];
        for (int i = 0; i < after.length; i++) {
            map[i] = index.getOrDefault(after[i], -1);
        }
        return map;
    }

    /**
     * For a class that was initialised before the checkpoint: its static initialiser, instead of
     * running again (printing, counting, registering a second time), writes the saved statics. An
     * enum's initialiser still runs (it creates the constants saved enum values resolve to) and then
     * writes the saved statics.
     */
    private static void restoreInitializer(ClassNode node, String binaryName) {
        MethodNode clinit = null;
        for (MethodNode m : node.methods) {
            if (m.name.equals("<clinit>")) {
                clinit = m;
            }
        }
        boolean isEnum = "java/lang/Enum".equals(node.superName);
        if (clinit == null) {
            clinit = new MethodNode(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            clinit.instructions.add(new org.objectweb.asm.tree.InsnNode(Opcodes.RETURN));
            node.methods.add(clinit);
        } else if (!isEnum) {
            clinit.instructions.clear();
            clinit.instructions.add(new org.objectweb.asm.tree.InsnNode(Opcodes.RETURN));
            clinit.tryCatchBlocks.clear();
            if (clinit.localVariables != null) {
                clinit.localVariables.clear();
            }
            clinit.maxLocals = 0;
        }
        for (AbstractInsnNode insn : clinit.instructions.toArray()) {
            if (insn.getOpcode() == Opcodes.RETURN) {
                org.objectweb.asm.tree.InsnList call = new org.objectweb.asm.tree.InsnList();
                call.add(new org.objectweb.asm.tree.LdcInsnNode(binaryName));
                call.add(new org.objectweb.asm.tree.MethodInsnNode(Opcodes.INVOKESTATIC, RestorePrologue.RUNTIME,
                    "restoreStatics", "(Ljava/lang/String;)V", false));
                clinit.instructions.insertBefore(insn, call);
            }
        }
        clinit.maxStack = Math.max(clinit.maxStack, 1);
    }

    /** Switches plain lambda bootstraps to altMetafactory with FLAG_SERIALIZABLE. */
    private static boolean serializableLambdas(ClassNode node) {
        boolean changed = false;
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof InvokeDynamicInsnNode) {
                    InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                    if (indy.bsm.getOwner().equals(LMF) && indy.bsm.getName().equals("metafactory")) {
                        Object[] args = indy.bsmArgs;
                        indy.bsm = ALT_METAFACTORY;
                        indy.bsmArgs = new Object[] {args[0], args[1], args[2], FLAG_SERIALIZABLE};
                        changed = true;
                    }
                }
            }
        }
        return changed;
    }

}
