package dev.rewind.internal.bytecode;

import java.util.IdentityHashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Where the arguments of each call come from. The stack walker does not report the arguments of
 * a frame's pending call (they already belong to the callee), yet re-entering the call needs the
 * receiver for dispatch and, through forwarding frames such as lambda proxies, the arguments too.
 * Most arguments are a local loaded just before the call, or a constant; both can be rebuilt.
 */
public final class ValueSources {
    /** How one argument of a call can be rebuilt. */
    public record Source(Kind kind, int local, Object constant) {
        static final Source UNKNOWN = new Source(Kind.UNKNOWN, -1, null);
    }

    /** The kinds of argument origin Rewind can rebuild. */
    public enum Kind {
        /** the value of a local that still holds it at the call */
        LOCAL,
        /** a constant pushed by the instruction (null for aconst_null) */
        CONSTANT,
        /** anything else */
        UNKNOWN
    }

    private final Map<AbstractInsnNode, Source[]> byCall;

    private ValueSources(Map<AbstractInsnNode, Source[]> byCall) {
        this.byCall = byCall;
    }

    static ValueSources compute(String owner, MethodNode method, AbstractInsnNode[] real) {
        Analyzer<SourceValue> analyzer = new Analyzer<>(new SourceInterpreter());
        Frame<SourceValue>[] frames;
        try {
            frames = analyzer.analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new IllegalArgumentException("cannot analyse " + owner + "." + method.name + method.desc, e);
        }
        Map<AbstractInsnNode, Integer> listIndex = new IdentityHashMap<>();
        for (int i = 0; i < method.instructions.size(); i++) {
            listIndex.put(method.instructions.get(i), i);
        }
        Map<AbstractInsnNode, Source[]> byCall = new IdentityHashMap<>();
        for (AbstractInsnNode insn : real) {
            int count = argumentCount(insn);
            if (count < 0) {
                continue;
            }
            Frame<SourceValue> frame = frames[listIndex.get(insn)];
            if (frame == null) {
                continue;
            }
            Source[] sources = new Source[count];
            int top = frame.getStackSize();
            for (int k = 0; k < count; k++) {
                SourceValue v = frame.getStack(top - count + k);
                sources[k] = describe(v, frame, frames, listIndex);
            }
            byCall.put(insn, sources);
        }
        return new ValueSources(byCall);
    }

    /** @return the sources of the call's arguments, receiver first, or null if not a reachable call */
    public Source[] arguments(AbstractInsnNode call) {
        return byCall.get(call);
    }

    /** @return the number of stack values a call consumes (receiver included), or -1 if not a call */
    public static int argumentCount(AbstractInsnNode insn) {
        if (insn instanceof MethodInsnNode) {
            MethodInsnNode m = (MethodInsnNode) insn;
            int n = Type.getArgumentTypes(m.desc).length;
            return m.getOpcode() == Opcodes.INVOKESTATIC ? n : n + 1;
        }
        if (insn instanceof InvokeDynamicInsnNode) {
            return Type.getArgumentTypes(((InvokeDynamicInsnNode) insn).desc).length;
        }
        return -1;
    }

    private static Source describe(SourceValue v, Frame<SourceValue> at, Frame<SourceValue>[] frames,
            Map<AbstractInsnNode, Integer> listIndex) {
        if (v.insns.size() != 1) {
            return Source.UNKNOWN;
        }
        AbstractInsnNode producer = v.insns.iterator().next();
        int op = producer.getOpcode();
        if (op >= Opcodes.ILOAD && op <= Opcodes.ALOAD) {
            int local = ((VarInsnNode) producer).var;
            Frame<SourceValue> loadFrame = frames[listIndex.get(producer)];
            // the local still holds the loaded value when no store reached it in between
            if (loadFrame != null && local < at.getLocals()
                    && loadFrame.getLocal(local).insns.equals(at.getLocal(local).insns)) {
                return new Source(Kind.LOCAL, local, null);
            }
            return Source.UNKNOWN;
        }
        switch (op) {
            case Opcodes.ACONST_NULL:
                return new Source(Kind.CONSTANT, -1, null);
            case Opcodes.ICONST_M1:
            case Opcodes.ICONST_0:
            case Opcodes.ICONST_1:
            case Opcodes.ICONST_2:
            case Opcodes.ICONST_3:
            case Opcodes.ICONST_4:
            case Opcodes.ICONST_5:
                return new Source(Kind.CONSTANT, -1, op - Opcodes.ICONST_0);
            case Opcodes.LCONST_0:
            case Opcodes.LCONST_1:
                return new Source(Kind.CONSTANT, -1, (long) (op - Opcodes.LCONST_0));
            case Opcodes.FCONST_0:
            case Opcodes.FCONST_1:
            case Opcodes.FCONST_2:
                return new Source(Kind.CONSTANT, -1, (float) (op - Opcodes.FCONST_0));
            case Opcodes.DCONST_0:
            case Opcodes.DCONST_1:
                return new Source(Kind.CONSTANT, -1, (double) (op - Opcodes.DCONST_0));
            case Opcodes.BIPUSH:
            case Opcodes.SIPUSH:
                return new Source(Kind.CONSTANT, -1, ((IntInsnNode) producer).operand);
            case Opcodes.LDC: {
                Object c = ((LdcInsnNode) producer).cst;
                if (c instanceof Integer || c instanceof Long || c instanceof Float || c instanceof Double
                        || c instanceof String) {
                    return new Source(Kind.CONSTANT, -1, c);
                }
                return Source.UNKNOWN;
            }
            default:
                return Source.UNKNOWN;
        }
    }
}
