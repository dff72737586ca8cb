package dev.rewind.internal.bytecode;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;

/** The real instructions of a method: ASM's list without labels, line numbers and frames. */
public final class Instructions {
    private Instructions() {
    }

    /** @return the instructions that occupy bytes in the code array, in order */
    public static AbstractInsnNode[] real(InsnList list) {
        List<AbstractInsnNode> out = new ArrayList<>(list.size());
        for (AbstractInsnNode n = list.getFirst(); n != null; n = n.getNext()) {
            if (n.getOpcode() >= 0) {
                out.add(n);
            }
        }
        return out.toArray(new AbstractInsnNode[0]);
    }
}
