package dev.rewind.internal.bytecode;

import java.util.IdentityHashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * Counts the monitors held (entered with monitorenter and not yet exited) before each
 * instruction, following control flow. javac's synchronized blocks are structured, so the count is
 * the same on every path; a method where it is not is reported as -1 at the disagreeing points.
 */
final class MonitorDepth {
    private MonitorDepth() {
    }

    static int[] compute(String owner, MethodNode method, AbstractInsnNode[] real) {
        InsnList list = method.instructions;
        int[] byListIndex = new int[list.size()];
        java.util.Arrays.fill(byListIndex, Integer.MIN_VALUE);
        byListIndex[0] = 0;
        Analyzer<BasicValue> analyzer = new Analyzer<>(new BasicInterpreter()) {
            @Override
            protected void newControlFlowEdge(int insn, int successor) {
                flow(insn, successor, delta(list.get(insn)));
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insn, int successor) {
                flow(insn, successor, 0);
                return true;
            }

            private void flow(int insn, int successor, int delta) {
                int d = byListIndex[insn];
                if (d == Integer.MIN_VALUE || d < 0) {
                    byListIndex[successor] = d == Integer.MIN_VALUE ? byListIndex[successor] : -1;
                    return;
                }
                int next = d + delta;
                if (byListIndex[successor] == Integer.MIN_VALUE) {
                    byListIndex[successor] = next;
                } else if (byListIndex[successor] != next) {
                    byListIndex[successor] = -1;
                }
            }
        };
        try {
            analyzer.analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new IllegalArgumentException("cannot analyse " + owner + "." + method.name + method.desc + ": "
                + e.getMessage(), e);
        }
        Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            index.put(list.get(i), i);
        }
        int[] depth = new int[real.length];
        for (int i = 0; i < real.length; i++) {
            int d = byListIndex[index.get(real[i])];
            depth[i] = d == Integer.MIN_VALUE ? 0 : d;
        }
        return depth;
    }

    private static int delta(AbstractInsnNode insn) {
        switch (insn.getOpcode()) {
            case Opcodes.MONITORENTER:
                return 1;
            case Opcodes.MONITOREXIT:
                return -1;
            default:
                return 0;
        }
    }
}
