package dev.rewind.internal.restore;

import dev.rewind.internal.bytecode.Instructions;
import dev.rewind.internal.bytecode.MethodFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Inserts the restore prologue into one method:
 *
 * <pre>
 *   data = RestoreRuntime.enter(id)          // null unless this frame is the next to restore
 *   if (data == null) goto original
 *   switch (data[0]) {                        // which saved call site
 *     case k: locals = data[..]
 *             [for each synchronized block around the site: jump to the method's own
 *              monitorenter with the saved lock, and continue after it (see below)]
 *             push saved stack; push receiver and arguments; goto callSite_k
 *   }
 * original: ...the method's own code...
 * callSite_k: invoke...                       // re-enters the next saved frame
 * </pre>
 *
 * Locks are re-taken by the method's own monitorenter instructions, followed by a dispatch
 * ({@link RestoreRuntime#afterLock(int)}) back into the restore path: HotSpot's lock-pairing
 * analysis (GenerateOopMap) then still finds balanced monitors and the JIT compiles the method.
 * Frames are written explicitly (no COMPUTE_FRAMES, which would load classes during class
 * loading): the verifier types come from {@link MethodFrames}, and a stack map frame is added
 * where a new jump target had none (JVMS §4.10.1.4).
 */
final class RestorePrologue {
    static final String RUNTIME = "dev/rewind/internal/restore/RestoreRuntime";
    /** What JDK classes call instead: they cannot see classes of the application class loader. */
    static final String BRIDGE = "dev/rewind/internal/bridge/RestoreBridge";

    private RestorePrologue() {
    }

    /**
     * @param owner internal name of the class
     * @param method the method, read with EXPAND_FRAMES; modified in place
     * @param analysis the analysis of the same original method
     * @param id the method's id in the {@link RestorePlan}
     * @param sites indexes of the pending calls among the original instructions, ascending
     * @param runtime internal name of the class whose static enter/afterLock/data the code calls
     * @return the number of real instructions inserted before the original code
     */
    static int insert(String owner, MethodNode method, MethodFrames analysis, int id, int[] sites, String runtime) {
        AbstractInsnNode[] real = Instructions.real(method.instructions);
        Labels labels = new Labels(method, real, analysis);
        int tmp = method.maxLocals;
        Object[] initial = initialLocals(owner, method);
        InsnList p = new InsnList();
        InsnList tail = new InsnList();
        LabelNode original = new LabelNode();
        p.add(new LdcInsnNode(id));
        p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, runtime, "enter", "(I)[Ljava/lang/Object;", false));
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
        Map<Integer, List<Integer>> keysAfterLock = new TreeMap<>();
        Map<Integer, List<LabelNode>> continuations = new TreeMap<>();
        // code Rewind runs while holding a lock must be covered by the block's own unlock handler:
        // HotSpot refuses to compile a method where a throwing instruction could exit with a lock held
        List<TryCatchBlockNode> covered = new ArrayList<>();
        for (int k = 0; k < sites.length; k++) {
            if (sites.length > 1) {
                p.add(cases[k]);
                p.add(new FrameNode(Opcodes.F_NEW, withTmp.length, withTmp, 0, new Object[0]));
            }
            Site site = new Site(real, analysis, sites[k], labels);
            storeLocals(p, analysis.locals(site.index), tmp, Set.of());
            if (site.entries == null) {
                // locking javac would not emit: take the locks here (correct; the JIT will not compile it)
                for (int m = 0; m < site.monitors.length; m++) {
                    load(p, tmp, site.monitorIndex(m), "java/lang/Object");
                    p.add(new InsnNode(Opcodes.MONITORENTER));
                }
                finish(p, site, tmp);
                continue;
            }
            if (site.entries.length == 0) {
                finish(p, site, tmp);
                continue;
            }
            goToLock(p, site, 0, tmp);
            Set<Integer> lockSlots = new HashSet<>();
            for (int j = 0; j < site.entries.length; j++) {
                lockSlots.add(site.entries[j].slot);
                int enter = site.monitors[j];
                LabelNode c = new LabelNode();
                keysAfterLock.computeIfAbsent(enter, x -> new ArrayList<>()).add(k);
                continuations.computeIfAbsent(enter, x -> new ArrayList<>()).add(c);
                Object[] after = compact(analysis.locals(enter + 1));
                tail.add(c);
                tail.add(new FrameNode(Opcodes.F_NEW, after.length, after, 0, new Object[0]));
                LabelNode cEnd = new LabelNode();
                covered.add(new TryCatchBlockNode(c, cEnd, lockHandler(method, real[enter + 1]), null));
                tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, runtime, "data", "()[Ljava/lang/Object;", false));
                tail.add(new VarInsnNode(Opcodes.ASTORE, tmp));
                // the lock slots now hold lock references; rewriting them would unbalance the pairing analysis
                storeLocals(tail, analysis.locals(site.index), tmp, new HashSet<>(lockSlots));
                if (j + 1 < site.entries.length) {
                    goToLock(tail, site, j + 1, tmp);
                } else {
                    finish(tail, site, tmp);
                }
                tail.add(cEnd);
            }
        }
        p.add(original);
        if (!startsWithFrame(method)) {
            p.add(new FrameNode(Opcodes.F_NEW, initial.length, initial, 0, new Object[0]));
        }
        for (Map.Entry<Integer, List<Integer>> e : keysAfterLock.entrySet()) {
            int enter = e.getKey();
            int[] keys = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            InsnList dispatch = new InsnList();
            LabelNode dStart = new LabelNode();
            dispatch.add(dStart);
            covered.add(new TryCatchBlockNode(dStart, labels.at(enter + 1), lockHandler(method, real[enter + 1]),
                null));
            dispatch.add(new LdcInsnNode(id));
            dispatch.add(new MethodInsnNode(Opcodes.INVOKESTATIC, runtime, "afterLock", "(I)I", false));
            dispatch.add(new LookupSwitchInsnNode(labels.at(enter + 1), keys,
                continuations.get(enter).toArray(new LabelNode[0])));
            method.instructions.insert(real[enter], dispatch);
        }
        method.tryCatchBlocks.addAll(0, covered);
        int inserted = Instructions.real(p).length;
        method.instructions.insert(p);
        method.instructions.add(tail);
        method.maxLocals = tmp + 1;
        method.maxStack += 4;
        return inserted;
    }

    /** One saved call site of the method and the locks held around it. */
    private static final class Site {
        final MethodFrames analysis;
        final int index;
        final int[] monitors;
        final LockEntry[] entries;
        final Labels labels;

        Site(AbstractInsnNode[] real, MethodFrames analysis, int index, Labels labels) {
            this.analysis = analysis;
            this.index = index;
            this.labels = labels;
            int[] open = analysis.openMonitors(index);
            this.monitors = open == null ? new int[0] : open;
            LockEntry[] e = new LockEntry[monitors.length];
            boolean structured = open != null;
            for (int j = 0; j < monitors.length; j++) {
                e[j] = LockEntry.of(real, analysis, monitors[j]);
                structured &= e[j] != null;
            }
            this.entries = structured ? e : null;
        }

        /** @return the position of the j-th lock (outermost first) in the saved data */
        int monitorIndex(int j) {
            return 1 + count(analysis.locals(index), analysis.locals(index).length) + count(analysis.stack(index),
                keep()) + j;
        }

        /** @return how many stack slots lie below the pending call's arguments */
        int keep() {
            MethodInsnNode call = (MethodInsnNode) analysis.instruction(index);
            int argSlots = (Type.getArgumentsAndReturnSizes(call.desc) >> 2)
                - (call.getOpcode() == Opcodes.INVOKESTATIC ? 1 : 0);
            return analysis.stack(index).length - argSlots;
        }
    }

    /**
     * How javac takes a lock: {@code <expr>; dup; astore t; monitorenter} (re-entered at the dup,
     * with the lock on the stack) or {@code aload t; monitorenter} (re-entered at the aload).
     */
    private static final class LockEntry {
        final int index;
        final int slot;
        final boolean dup;

        private LockEntry(int index, int slot, boolean dup) {
            this.index = index;
            this.slot = slot;
            this.dup = dup;
        }

        static LockEntry of(AbstractInsnNode[] real, MethodFrames analysis, int enter) {
            if (enter >= 2 && real[enter - 1].getOpcode() == Opcodes.ASTORE
                    && real[enter - 2].getOpcode() == Opcodes.DUP && analysis.stack(enter - 2) != null
                    && analysis.stack(enter - 2).length == 1) {
                return new LockEntry(enter - 2, ((VarInsnNode) real[enter - 1]).var, true);
            }
            if (enter >= 1 && real[enter - 1].getOpcode() == Opcodes.ALOAD && analysis.stack(enter - 1) != null
                    && analysis.stack(enter - 1).length == 0) {
                return new LockEntry(enter - 1, ((VarInsnNode) real[enter - 1]).var, false);
            }
            return null;
        }
    }

    /** Jump targets inside the original code, each with a stack map frame; created once per instruction. */
    private static final class Labels {
        private final MethodNode method;
        private final AbstractInsnNode[] real;
        private final MethodFrames analysis;
        private final Map<Integer, LabelNode> byIndex = new TreeMap<>();

        Labels(MethodNode method, AbstractInsnNode[] real, MethodFrames analysis) {
            this.method = method;
            this.real = real;
            this.analysis = analysis;
        }

        LabelNode at(int index) {
            return byIndex.computeIfAbsent(index, i -> frameLabel(method, real[i], analysis, i));
        }
    }

    /**
     * @return the catch-all handler of the innermost synchronized block that covers the instruction
     *     (javac's handler unlocks and rethrows)
     */
    private static LabelNode lockHandler(MethodNode method, AbstractInsnNode insn) {
        int at = method.instructions.indexOf(insn);
        TryCatchBlockNode best = null;
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            if (t.type == null && method.instructions.indexOf(t.start) <= at && at < method.instructions.indexOf(t.end)
                    && (best == null || method.instructions.indexOf(t.start) >= method.instructions.indexOf(best.start))) {
                best = t;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no catch-all handler covers the synchronized block at "
                + method.name + method.desc);
        }
        return best.handler;
    }

    /** Jumps to where the method takes its j-th lock, with the saved lock object where it expects it. */
    private static void goToLock(InsnList p, Site site, int j, int tmp) {
        LockEntry e = site.entries[j];
        if (e.dup) {
            load(p, tmp, site.monitorIndex(j), site.analysis.stack(e.index)[0]);
        }
        p.add(new InsnNode(Opcodes.ACONST_NULL));
        p.add(new VarInsnNode(Opcodes.ASTORE, tmp));
        p.add(new JumpInsnNode(Opcodes.GOTO, site.labels.at(e.index)));
    }

    /** Pushes the saved operand stack and the pending call's receiver and arguments, then jumps to the call. */
    private static void finish(InsnList p, Site site, int tmp) {
        Object[] stack = site.analysis.stack(site.index);
        int keep = site.keep();
        int index = 1 + count(site.analysis.locals(site.index), site.analysis.locals(site.index).length);
        for (int k = 0; k < keep; k++) {
            if (stack[k] != Opcodes.TOP) {
                load(p, tmp, index++, stack[k]);
            }
        }
        index += site.monitors.length;
        for (int k = keep; k < stack.length; k++) {
            if (stack[k] != Opcodes.TOP) {
                load(p, tmp, index++, stack[k]);
            }
        }
        p.add(new InsnNode(Opcodes.ACONST_NULL));
        p.add(new VarInsnNode(Opcodes.ASTORE, tmp));
        p.add(new JumpInsnNode(Opcodes.GOTO, site.labels.at(site.index)));
    }

    /** Stores the saved locals (data[1..]) into their slots, except the given slots. */
    private static void storeLocals(InsnList p, Object[] locals, int tmp, Set<Integer> skip) {
        int index = 1;
        for (int j = 0; j < locals.length; j++) {
            Object t = locals[j];
            if (t == Opcodes.TOP) {
                continue;
            }
            if (!skip.contains(j)) {
                load(p, tmp, index, t);
                p.add(new VarInsnNode(storeOpcode(t), j));
            }
            index++;
            if (t == Opcodes.LONG || t == Opcodes.DOUBLE) {
                j++;
            }
        }
    }

    private static int count(Object[] types, int to) {
        int n = 0;
        for (int i = 0; i < to; i++) {
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

    /** Finds or creates a label right before an instruction, with a stack map frame a jump can target. */
    private static LabelNode frameLabel(MethodNode method, AbstractInsnNode insn, MethodFrames analysis, int index) {
        AbstractInsnNode prev = insn.getPrevious();
        LabelNode label = null;
        boolean hasFrame = false;
        while (prev != null && prev.getOpcode() < 0) {
            if (prev instanceof FrameNode) {
                hasFrame = true;
            } else if (prev instanceof LabelNode && label == null && hasFrame) {
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
        Object[] locals = compact(analysis.locals(index));
        Object[] stack = compact(analysis.stack(index));
        at.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, stack.length, stack));
        method.instructions.insertBefore(insn, at);
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
        List<Object> out = new ArrayList<>(Arrays.asList(compact));
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
