package dev.rewind.internal.bytecode;

import java.util.Arrays;
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
 * Which monitorenter instructions hold their monitor before each instruction, outermost first,
 * following control flow (exception edges keep the monitors of the throwing instruction). javac's
 * synchronized blocks are structured, so every path agrees; where paths disagree the result is
 * null ("unstructured").
 */
final class MonitorDepth {
    private static final int[] NONE = new int[0];
    private static final int[] CONFLICT = new int[] {-1};

    private MonitorDepth() {
    }

    /** @return per real instruction, the real indexes of the open monitorenters, or null if unstructured */
    static int[][] compute(String owner, MethodNode method, AbstractInsnNode[] real) {
        InsnList list = method.instructions;
        Map<AbstractInsnNode, Integer> realIndex = new IdentityHashMap<>();
        for (int i = 0; i < real.length; i++) {
            realIndex.put(real[i], i);
        }
        int[][] open = new int[list.size()][];
        open[0] = NONE;
        Analyzer<BasicValue> analyzer = new Analyzer<>(new BasicInterpreter()) {
            @Override
            protected void newControlFlowEdge(int insn, int successor) {
                flow(successor, after(list.get(insn), open[insn]));
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insn, int successor) {
                flow(successor, open[insn]);
                return true;
            }

            private int[] after(AbstractInsnNode insn, int[] before) {
                if (before == null || before == CONFLICT) {
                    return CONFLICT;
                }
                if (insn.getOpcode() == Opcodes.MONITORENTER) {
                    int[] out = Arrays.copyOf(before, before.length + 1);
                    out[before.length] = realIndex.get(insn);
                    return out;
                }
                if (insn.getOpcode() == Opcodes.MONITOREXIT) {
                    return before.length == 0 ? CONFLICT : Arrays.copyOf(before, before.length - 1);
                }
                return before;
            }

            private void flow(int successor, int[] state) {
                if (open[successor] == null) {
                    open[successor] = state;
                } else if (!Arrays.equals(open[successor], state)) {
                    open[successor] = CONFLICT;
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
        int[][] result = new int[real.length][];
        for (int i = 0; i < real.length; i++) {
            int[] s = open[index.get(real[i])];
            result[i] = s == CONFLICT ? null : s == null ? NONE : s;
        }
        return result;
    }
}
