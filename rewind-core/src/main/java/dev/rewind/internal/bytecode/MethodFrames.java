package dev.rewind.internal.bytecode;

import java.util.Arrays;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.AnalyzerAdapter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The verifier's view of one method at every instruction: the types of the locals and of the
 * operand stack (from the class file's stack map frames, JVMS §4.10.1, via ASM's
 * {@link AnalyzerAdapter}), the number of monitors held, and the bytecode offset. This is what
 * gives the untyped words of a live frame their types, and what the restore prologue must
 * rebuild. Types use ASM's frame encoding: {@link Opcodes#INTEGER} etc., an internal name for a
 * reference, a {@link Label} for an uninitialised object; a long or double is followed by TOP.
 */
public final class MethodFrames {
    private final String owner;
    private final MethodNode method;
    private final AbstractInsnNode[] instructions;
    private final int[] offsets;
    private final Object[][] locals;
    private final Object[][] stacks;
    private final int[][] monitors;
    private ValueSources sources;

    private MethodFrames(String owner, MethodNode method, AbstractInsnNode[] instructions, int[] offsets,
            Object[][] locals, Object[][] stacks, int[][] monitors) {
        this.owner = owner;
        this.method = method;
        this.instructions = instructions;
        this.offsets = offsets;
        this.locals = locals;
        this.stacks = stacks;
        this.monitors = monitors;
    }

    /**
     * Analyses one method of a class file.
     *
     * @throws IllegalArgumentException when the method is missing, abstract or native, or its
     *     class file has no stack map frames (class files older than Java 6)
     */
    public static MethodFrames analyze(byte[] classFile, String name, String descriptor) {
        ClassReader reader = new ClassReader(classFile);
        if (reader.readShort(6) < Opcodes.V1_6) {
            throw new IllegalArgumentException(reader.getClassName() + " is compiled for Java 5 or older (no stack"
                + " map frames); recompile it with --release 8 or newer");
        }
        ClassNode classNode = new ClassNode();
        reader.accept(classNode, ClassReader.EXPAND_FRAMES);
        MethodNode method = null;
        for (MethodNode m : classNode.methods) {
            if (m.name.equals(name) && m.desc.equals(descriptor)) {
                method = m;
            }
        }
        if (method == null || method.instructions.size() == 0) {
            throw new IllegalArgumentException("no bytecode for " + classNode.name + "." + name + descriptor);
        }
        AbstractInsnNode[] real = Instructions.real(method.instructions);
        int[] offsets = CodeOffsets.of(classFile, name, descriptor);
        if (offsets == null || offsets.length != real.length) {
            throw new IllegalStateException("instruction count mismatch in " + classNode.name + "." + name);
        }
        Object[][] locals = new Object[real.length][];
        Object[][] stacks = new Object[real.length][];
        Recorder recorder = new Recorder(locals, stacks);
        AnalyzerAdapter adapter = new AnalyzerAdapter(classNode.name, method.access, name, descriptor, recorder);
        recorder.adapter = adapter;
        method.accept(adapter);
        int[][] depth = MonitorDepth.compute(classNode.name, method, real);
        return new MethodFrames(classNode.name, method, real, offsets, locals, stacks, depth);
    }

    /** @return the internal name of the declaring class */
    public String owner() {
        return owner;
    }

    /** @return the method as read (with expanded frames); callers must not modify it */
    public MethodNode method() {
        return method;
    }

    /** @return the number of real instructions (labels, frames and line numbers excluded) */
    public int instructionCount() {
        return instructions.length;
    }

    /** @return the instruction index at a bytecode offset, or -1 when no instruction starts there */
    public int indexOfBci(int bci) {
        int i = Arrays.binarySearch(offsets, bci);
        return i >= 0 ? i : -1;
    }

    /** @return the bytecode offset of an instruction */
    public int bciOf(int index) {
        return offsets[index];
    }

    /** @return the instruction at an index */
    public AbstractInsnNode instruction(int index) {
        return instructions[index];
    }

    /** @return the local types before the instruction runs, or null where the code is unreachable */
    public Object[] locals(int index) {
        return locals[index];
    }

    /** @return the operand stack types before the instruction runs, bottom first, or null if unreachable */
    public Object[] stack(int index) {
        return stacks[index];
    }

    /**
     * @return the number of monitors entered by monitorenter and not yet exited before the
     *     instruction, or -1 where paths disagree (unstructured locking)
     */
    public int monitorDepth(int index) {
        return monitors[index] == null ? -1 : monitors[index].length;
    }

    /** @return the indexes of the monitorenter instructions holding a lock before the instruction, outermost first */
    public int[] openMonitors(int index) {
        return monitors[index];
    }

    /**
     * @return the local that holds the lock object of the monitorenter at an index (javac stores it
     *     for the matching monitorexit: {@code astore t; monitorenter} or {@code aload t; monitorenter}),
     *     or -1 when the code takes the lock some other way
     */
    public int lockSlot(int enter) {
        if (enter < 1) {
            return -1;
        }
        AbstractInsnNode prev = instructions[enter - 1];
        if (prev.getOpcode() == Opcodes.ASTORE || prev.getOpcode() == Opcodes.ALOAD) {
            return ((org.objectweb.asm.tree.VarInsnNode) prev).var;
        }
        return -1;
    }

    /** @return where each argument of the call at an index comes from (for re-invoking the call) */
    public synchronized ValueSources sources() {
        if (sources == null) {
            sources = ValueSources.compute(owner, method, instructions);
        }
        return sources;
    }

    private boolean[][] readsAfter;

    /**
     * @return true when some path from the instruction (after it runs) reads the local before
     *     writing it: the local is live across the instruction
     */
    public synchronized boolean readsLocalAfter(int index, int slot) {
        if (readsAfter == null) {
            readsAfter = new boolean[Math.max(1, method.maxLocals)][];
        }
        if (slot >= readsAfter.length) {
            return false;
        }
        if (readsAfter[slot] == null) {
            readsAfter[slot] = Liveness.readsAfter(owner, method, instructions, slot);
        }
        return readsAfter[slot][index];
    }

    /** @return the line number of the instruction, or -1 */
    public int lineOf(int index) {
        int line = -1;
        for (AbstractInsnNode n = instructions[index]; n != null; n = n.getPrevious()) {
            if (n instanceof org.objectweb.asm.tree.LineNumberNode) {
                return ((org.objectweb.asm.tree.LineNumberNode) n).line;
            }
        }
        return line;
    }

    /** Records the adapter's state before each instruction; the adapter updates after delegating. */
    private static final class Recorder extends MethodVisitor {
        private final Object[][] locals;
        private final Object[][] stacks;
        private AnalyzerAdapter adapter;
        private int index;

        Recorder(Object[][] locals, Object[][] stacks) {
            super(Opcodes.ASM9);
            this.locals = locals;
            this.stacks = stacks;
        }

        private void record() {
            locals[index] = adapter.locals == null ? null : adapter.locals.toArray();
            stacks[index] = adapter.stack == null ? null : adapter.stack.toArray();
            index++;
        }

        @Override
        public void visitInsn(int opcode) {
            record();
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            record();
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            record();
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            record();
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            record();
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            record();
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
            record();
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            record();
        }

        @Override
        public void visitLdcInsn(Object value) {
            record();
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            record();
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            record();
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            record();
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            record();
        }
    }
}
