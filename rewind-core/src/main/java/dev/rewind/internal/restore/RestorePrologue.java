package dev.rewind.internal.restore;

import dev.rewind.internal.bytecode.Instructions;
import dev.rewind.internal.bytecode.MethodFrames;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Inserts the restore prologue into one method:
 *
 * <pre>
 *   data = RestoreRuntime.enter(id)          // null unless this frame is the next to restore
 *   if (data == null) goto original
 *   switch (data[0]) {                        // which saved call site
 *     case k: locals = data[..]; monitorenter saved locks; push saved stack;
 *             push receiver and arguments; goto callSite_k
 *   }
 * original: ...the method's own code...
 * callSite_k: invoke...                       // re-enters the next saved frame
 * </pre>
 *
 * Frames are written explicitly (no COMPUTE_FRAMES, which would load classes during class
 * loading): the verifier types at each call site come from {@link MethodFrames}, and a new
 * stack map frame is added where the jump target had none (JVMS §4.10.1.4).
 */
final class RestorePrologue {
    static final String RUNTIME = "dev/rewind/internal/restore/RestoreRuntime";

    private RestorePrologue() {
    }

    /**
     * @param owner internal name of the class
     * @param method the method, read with EXPAND_FRAMES; modified in place
     * @param analysis the analysis of the same original method
     * @param id the method's id in the {@link RestorePlan}
     * @param sites indexes of the pending calls among the original instructions, ascending
     * @return the number of real instructions inserted
     */
    static int insert(String owner, MethodNode method, MethodFrames analysis, int id, int[] sites) {
        AbstractInsnNode[] real = Instructions.real(method.instructions);
        int tmp = method.maxLocals;
        Object[] initial = initialLocals(owner, method);
        InsnList p = new InsnList();
        LabelNode original = new LabelNode();
        p.add(new LdcInsnNode(id));
        p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "enter", "(I)[Ljava/lang/Object;", false));
        p.add(new InsnNode(Opcodes.DUP));
        p.add(new VarInsnNode(Opcodes.ASTORE, tmp));
        p.add(new JumpInsnNode(Opcodes.IFNULL, original));
        LabelNode[] cases = new LabelNode[sites.length];
        for (int k = 0; k < sites.length; k++) {
            cases[k] = new LabelNode();
        }
        if (sites.length > 1) {
            p.add(new VarInsnNode(Opcodes.ALOAD, tmp));
            p.add(new InsnNode(Opcodes.ICONST_0));
            p.add(new InsnNode(Opcodes.AALOAD));
            unbox(p, Opcodes.INTEGER);
            p.add(new TableSwitchInsnNode(0, sites.length - 1, cases[0], cases));
        }
        Object[] withTmp = withLocalAt(initial, tmp, "[Ljava/lang/Object;");
        for (int k = 0; k < sites.length; k++) {
            if (sites.length > 1) {
                p.add(cases[k]);
                p.add(new FrameNode(Opcodes.F_NEW, withTmp.length, withTmp, 0, new Object[0]));
            }
            LabelNode target = callSiteLabel(method, real[sites[k]], analysis, sites[k]);
            restoreSite(p, analysis, sites[k], tmp);
            p.add(new InsnNode(Opcodes.ACONST_NULL));
            p.add(new VarInsnNode(Opcodes.ASTORE, tmp));
            p.add(new JumpInsnNode(Opcodes.GOTO, target));
        }
        p.add(original);
        if (!startsWithFrame(method)) {
            p.add(new FrameNode(Opcodes.F_NEW, initial.length, initial, 0, new Object[0]));
        }
        int inserted = Instructions.real(p).length;
        method.instructions.insert(p);
        method.maxLocals = tmp + 1;
        method.maxStack += 4;
        return inserted;
    }

    /** Emits the loads of one site: locals, monitors, operand stack, then the call's receiver and arguments. */
    private static void restoreSite(InsnList p, MethodFrames analysis, int site, int tmp) {
        Object[] locals = analysis.locals(site);
        Object[] stack = analysis.stack(site);
        MethodInsnNode call = (MethodInsnNode) analysis.instruction(site);
        int argSlots = (Type.getArgumentsAndReturnSizes(call.desc) >> 2)
            - (call.getOpcode() == Opcodes.INVOKESTATIC ? 1 : 0);
        int keep = stack.length - argSlots;
        int index = 1;
        for (int j = 0; j < locals.length; j++) {
            Object t = locals[j];
            if (t == Opcodes.TOP) {
                continue;
            }
            load(p, tmp, index++, t);
            p.add(new VarInsnNode(storeOpcode(t), j));
            if (t == Opcodes.LONG || t == Opcodes.DOUBLE) {
                j++;
            }
        }
        int stackValues = count(stack, 0, keep);
        int monitorIndex = index + stackValues;
        int monitors = analysis.monitorDepth(site);
        for (int m = 0; m < monitors; m++) {
            load(p, tmp, monitorIndex + m, "java/lang/Object");
            p.add(new InsnNode(Opcodes.MONITORENTER));
        }
        for (int k = 0; k < keep; k++) {
            Object t = stack[k];
            if (t == Opcodes.TOP) {
                continue;
            }
            load(p, tmp, index++, t);
        }
        index += monitors;
        for (int k = keep; k < stack.length; k++) {
            Object t = stack[k];
            if (t == Opcodes.TOP) {
                continue;
            }
            load(p, tmp, index++, t);
        }
    }

    private static int count(Object[] types, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (types[i] != Opcodes.TOP) {
                n++;
            }
        }
        return n;
    }

    /** Pushes data[index] converted to the verifier type t. */
    private static void load(InsnList p, int tmp, int index, Object t) {
        if (t == Opcodes.NULL) {
            p.add(new InsnNode(Opcodes.ACONST_NULL));
            return;
        }
        p.add(new VarInsnNode(Opcodes.ALOAD, tmp));
        p.add(new LdcInsnNode(index));
        p.add(new InsnNode(Opcodes.AALOAD));
        unbox(p, t);
    }

    private static void unbox(InsnList p, Object t) {
        if (t == Opcodes.INTEGER) {
            p.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Integer"));
            p.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Integer", "intValue", "()I", false));
        } else if (t == Opcodes.FLOAT) {
            p.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Float"));
            p.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Float", "floatValue", "()F", false));
        } else if (t == Opcodes.LONG) {
            p.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Long"));
            p.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Long", "longValue", "()J", false));
        } else if (t == Opcodes.DOUBLE) {
            p.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Double"));
            p.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Double", "doubleValue", "()D", false));
        } else if (t instanceof String && !"java/lang/Object".equals(t)) {
            p.add(new TypeInsnNode(Opcodes.CHECKCAST, (String) t));
        } else if (!(t instanceof String)) {
            throw new IllegalArgumentException("cannot restore a slot of verifier type " + t);
        }
    }

    private static int storeOpcode(Object t) {
        if (t == Opcodes.INTEGER) {
            return Opcodes.ISTORE;
        } else if (t == Opcodes.FLOAT) {
            return Opcodes.FSTORE;
        } else if (t == Opcodes.LONG) {
            return Opcodes.LSTORE;
        } else if (t == Opcodes.DOUBLE) {
            return Opcodes.DSTORE;
        }
        return Opcodes.ASTORE;
    }

    /** Finds or creates the label of the call site, with a stack map frame the jump can target. */
    private static LabelNode callSiteLabel(MethodNode method, AbstractInsnNode call, MethodFrames analysis, int site) {
        AbstractInsnNode prev = call.getPrevious();
        LabelNode label = null;
        boolean hasFrame = false;
        while (prev != null && prev.getOpcode() < 0) {
            if (prev instanceof FrameNode) {
                hasFrame = true;
            } else if (prev instanceof LabelNode && label == null) {
                label = (LabelNode) prev;
            }
            prev = prev.getPrevious();
        }
        if (hasFrame && label != null) {
            return label;
        }
        LabelNode target = new LabelNode(new Label());
        InsnList at = new InsnList();
        at.add(target);
        if (!hasFrame) {
            Object[] locals = compact(analysis.locals(site));
            Object[] stack = compact(analysis.stack(site));
            at.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, stack.length, stack));
        }
        method.instructions.insertBefore(call, at);
        return target;
    }

    /** Converts the analyser's slot list (long/double followed by TOP) to the frame encoding (one entry). */
    private static Object[] compact(Object[] types) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            out.add(types[i]);
            if (types[i] == Opcodes.LONG || types[i] == Opcodes.DOUBLE) {
                i++;
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1) == Opcodes.TOP) {
            out.remove(out.size() - 1);
        }
        return out.toArray();
    }

    private static boolean startsWithFrame(MethodNode method) {
        for (AbstractInsnNode n = method.instructions.getFirst(); n != null && n.getOpcode() < 0; n = n.getNext()) {
            if (n instanceof FrameNode) {
                return true;
            }
        }
        return false;
    }

    private static Object[] initialLocals(String owner, MethodNode method) {
        List<Object> out = new ArrayList<>();
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            out.add(owner);
        }
        for (Type t : Type.getArgumentTypes(method.desc)) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    out.add(Opcodes.INTEGER);
                    break;
                case Type.FLOAT:
                    out.add(Opcodes.FLOAT);
                    break;
                case Type.LONG:
                    out.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    out.add(Opcodes.DOUBLE);
                    break;
                case Type.ARRAY:
                    out.add(t.getDescriptor());
                    break;
                default:
                    out.add(t.getInternalName());
            }
        }
        return out.toArray();
    }

    /** @return the frame locals (compact encoding) with TOP up to slot, then type at slot */
    private static Object[] withLocalAt(Object[] compact, int slot, Object type) {
        List<Object> out = new ArrayList<>(java.util.Arrays.asList(compact));
        int used = 0;
        for (Object t : compact) {
            used += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; used < slot; used++) {
            out.add(Opcodes.TOP);
        }
        out.add(type);
        return out.toArray();
    }
}
