package dev.rewind.internal.steps;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Writes the normalized code of one method into a digest: every instruction's opcode and operands
 * (member references, constants, types, local variable slots, branch targets and switch tables as
 * instruction indexes), then the exception table. Nothing else: line numbers, local variable names,
 * the source file name and stack map frames are left out (the class is parsed without them), so
 * comments, blank lines and renamed locals do not change the result. Constant pool layout does not
 * show either, because ASM hands over values, not pool indexes.
 *
 * <p>Class and lambda names go through {@link CanonicalNames}. The real names of everything the
 * code refers to are reported to a {@link References} so the walk can follow them.
 */
final class MethodNormalizer {
    /** Receives what a method's code refers to, with the names as they are in the class file. */
    interface References {
        void invoked(String owner, String name, String descriptor);

        /** A method handle constant: a lambda body or method reference, or a bootstrap method. */
        void handle(Handle handle);

        /** A NEW instruction. */
        void instantiated(String owner);

        /** @return the field's compile-time constant to include in the hash, or null */
        Object staticRead(String owner, String name, String descriptor);
    }

    private final DigestWriter out;
    private final CanonicalNames names;
    private final References refs;

    MethodNormalizer(DigestWriter out, CanonicalNames names, References refs) {
        this.out = out;
        this.names = names;
        this.refs = refs;
    }

    /** Writes the code of a method that has some. */
    void write(MethodNode method) {
        Map<LabelNode, Integer> positions = new HashMap<>();
        int count = 0;
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof LabelNode) {
                // a label stands for the index of the next real instruction: label identity and
                // pseudo-instructions are layout, not code
                positions.put((LabelNode) insn, count);
            } else if (insn.getOpcode() >= 0) {
                count++;
            }
        }
        out.tag('C').i32(count);
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() >= 0) {
                out.i32(insn.getOpcode());
                operands(insn, positions);
            }
        }
        out.tag('E').i32(method.tryCatchBlocks.size());
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            out.i32(positions.get(t.start)).i32(positions.get(t.end)).i32(positions.get(t.handler))
                .str(t.type == null ? null : names.mapType(t.type));
        }
    }

    private void operands(AbstractInsnNode insn, Map<LabelNode, Integer> positions) {
        switch (insn.getType()) {
            case AbstractInsnNode.INT_INSN -> out.i32(((IntInsnNode) insn).operand);
            case AbstractInsnNode.VAR_INSN -> out.i32(((VarInsnNode) insn).var);
            case AbstractInsnNode.IINC_INSN -> out.i32(((IincInsnNode) insn).var).i32(((IincInsnNode) insn).incr);
            case AbstractInsnNode.TYPE_INSN -> {
                TypeInsnNode n = (TypeInsnNode) insn;
                out.str(names.mapType(n.desc));
                if (n.getOpcode() == Opcodes.NEW) {
                    refs.instantiated(n.desc);
                }
            }
            case AbstractInsnNode.FIELD_INSN -> {
                FieldInsnNode n = (FieldInsnNode) insn;
                out.str(names.mapType(n.owner)).str(n.name).str(names.mapDesc(n.desc));
                if (n.getOpcode() == Opcodes.GETSTATIC) {
                    Object constant = refs.staticRead(n.owner, n.name, n.desc);
                    if (constant != null) {
                        out.tag('K');
                        value(constant);
                    }
                }
            }
            case AbstractInsnNode.METHOD_INSN -> {
                MethodInsnNode n = (MethodInsnNode) insn;
                out.str(names.mapType(n.owner)).str(names.mapMethodName(n.owner, n.name, n.desc))
                    .str(names.mapMethodDesc(n.desc)).i32(n.itf ? 1 : 0);
                refs.invoked(n.owner, n.name, n.desc);
            }
            case AbstractInsnNode.INVOKE_DYNAMIC_INSN -> {
                InvokeDynamicInsnNode n = (InvokeDynamicInsnNode) insn;
                out.str(n.name).str(names.mapMethodDesc(n.desc));
                value(n.bsm);
                out.i32(n.bsmArgs.length);
                for (Object arg : n.bsmArgs) {
                    value(arg);
                }
            }
            case AbstractInsnNode.JUMP_INSN -> out.i32(positions.get(((JumpInsnNode) insn).label));
            case AbstractInsnNode.LDC_INSN -> value(((LdcInsnNode) insn).cst);
            case AbstractInsnNode.TABLESWITCH_INSN -> {
                TableSwitchInsnNode n = (TableSwitchInsnNode) insn;
                out.i32(n.min).i32(n.max).i32(positions.get(n.dflt)).i32(n.labels.size());
                n.labels.forEach(l -> out.i32(positions.get(l)));
            }
            case AbstractInsnNode.LOOKUPSWITCH_INSN -> {
                LookupSwitchInsnNode n = (LookupSwitchInsnNode) insn;
                out.i32(positions.get(n.dflt)).i32(n.keys.size());
                for (int i = 0; i < n.keys.size(); i++) {
                    out.i32(n.keys.get(i)).i32(positions.get(n.labels.get(i)));
                }
            }
            case AbstractInsnNode.MULTIANEWARRAY_INSN -> {
                MultiANewArrayInsnNode n = (MultiANewArrayInsnNode) insn;
                out.str(names.mapDesc(n.desc)).i32(n.dims);
            }
            default -> {
                // INSN: the opcode is the whole instruction
            }
        }
    }

    /** Writes a constant (ldc operand, bootstrap argument, field constant) with its type. */
    private void value(Object v) {
        if (v instanceof Integer i) {
            out.tag('I').i32(i);
        } else if (v instanceof Float f) {
            out.tag('F').i32(Float.floatToRawIntBits(f));
        } else if (v instanceof Long l) {
            out.tag('J').i64(l);
        } else if (v instanceof Double d) {
            out.tag('D').i64(Double.doubleToRawLongBits(d));
        } else if (v instanceof String s) {
            out.tag('S').str(s);
        } else if (v instanceof Type t) {
            out.tag('T').i32(t.getSort()).str(((Type) names.mapValue(t)).getDescriptor());
        } else if (v instanceof Handle h) {
            refs.handle(h);
            Handle m = (Handle) names.mapValue(h);
            out.tag('H').i32(m.getTag()).str(m.getOwner()).str(m.getName()).str(m.getDesc())
                .i32(m.isInterface() ? 1 : 0);
        } else if (v instanceof ConstantDynamic c) {
            out.tag('Y').str(c.getName()).str(names.mapDesc(c.getDescriptor()));
            value(c.getBootstrapMethod());
            out.i32(c.getBootstrapMethodArgumentCount());
            for (int i = 0; i < c.getBootstrapMethodArgumentCount(); i++) {
                value(c.getBootstrapMethodArgument(i));
            }
        } else {
            throw new IllegalStateException("ASM produced a constant of unknown type " + v.getClass().getName());
        }
    }
}
