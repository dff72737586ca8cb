package dev.rewind.internal.format;

/**
 * The shape of one saved frame, stored in a checkpoint's header so that the agent can plan the
 * restore prologues before any application class loads. The frame's values are in the graph.
 *
 * @param className binary name of the declaring class
 * @param methodName method name
 * @param descriptor method descriptor
 * @param instruction index of the pending call among the original instructions
 * @param bci bytecode index at capture (for display)
 * @param line source line, or -1
 * @param callSignature owner.name+descriptor of the pending call
 * @param localCount how many values are locals
 * @param names names of the values (locals then stack)
 * @param monitorCount locks held by synchronized blocks
 * @param argumentCount receiver and arguments of the pending call
 * @param receiverStandIn class of a stand-in receiver for the pending call, or "" when not needed
 */
public record FrameRecord(String className, String methodName, String descriptor, int instruction, int bci, int line,
        String callSignature, int localCount, String[] names, int monitorCount, int argumentCount,
        String receiverStandIn) {

    /** @return how many graph roots this frame owns */
    public int rootCount() {
        return names.length + monitorCount + argumentCount;
    }

    /** @return "Class.method(line N)" */
    public String where() {
        return className + "." + methodName + "(" + (line > 0 ? "line " + line : "bci " + bci) + ")";
    }
}
