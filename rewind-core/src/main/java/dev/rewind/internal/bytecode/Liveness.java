package dev.rewind.internal.bytecode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;

/** Backward liveness of one local over the control-flow graph (normal and exception edges). */
final class Liveness {
    private Liveness() {
    }

    /** @return per real instruction: whether a path after it reads the local before writing it */
    static boolean[] readsAfter(String owner, MethodNode method, AbstractInsnNode[] real, int slot) {
        int n = method.instructions.size();
        List<List<Integer>> preds = new ArrayList<>(n);
        List<List<Integer>> succs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            preds.add(new ArrayList<>());
            succs.add(new ArrayList<>());
        }
        Analyzer<BasicValue> cfg = new Analyzer<>(new BasicInterpreter()) {
            @Override
            protected void newControlFlowEdge(int insn, int successor) {
                succs.get(insn).add(successor);
                preds.get(successor).add(insn);
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insn, int successor) {
                succs.get(insn).add(successor);
                preds.get(successor).add(insn);
                return true;
            }
        };
        try {
            cfg.analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new IllegalArgumentException("cannot analyse " + owner + "." + method.name, e);
        }
        // liveIn[i]: the local is read at i, or live after i and not written by i
        boolean[] liveIn = new boolean[n];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (reads(method.instructions.get(i), slot)) {
                liveIn[i] = true;
                work.add(i);
            }
        }
        while (!work.isEmpty()) {
            int i = work.poll();
            for (int p : preds.get(i)) {
                if (!liveIn[p] && !writes(method.instructions.get(p), slot)) {
                    liveIn[p] = true;
                    work.add(p);
                }
            }
        }
        Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(method.instructions.get(i), i);
        }
        boolean[] out = new boolean[real.length];
        for (int r = 0; r < real.length; r++) {
            for (int s : succs.get(index.get(real[r]))) {
                out[r] |= liveIn[s];
            }
        }
        return out;
    }

    private static boolean reads(AbstractInsnNode insn, int slot) {
        int op = insn.getOpcode();
        if (insn instanceof VarInsnNode && ((VarInsnNode) insn).var == slot) {
            return op >= Opcodes.ILOAD && op <= Opcodes.ALOAD || op == Opcodes.RET;
        }
        return insn instanceof IincInsnNode && ((IincInsnNode) insn).var == slot;
    }

    private static boolean writes(AbstractInsnNode insn, int slot) {
        int op = insn.getOpcode();
        return insn instanceof VarInsnNode && ((VarInsnNode) insn).var == slot && op >= Opcodes.ISTORE
            && op <= Opcodes.ASTORE;
    }
}
