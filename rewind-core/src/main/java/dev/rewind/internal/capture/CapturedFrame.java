package dev.rewind.internal.capture;

import java.util.Map;

/**
 * One application frame, typed and ready to be saved or re-entered.
 *
 * <p>Layout of {@link #values}: the live locals in slot order (a long or double is one value,
 * slots the verifier types as TOP are left out), then the operand stack below the pending call's
 * arguments, bottom first. Primitives are boxed. {@link #monitors} are the objects locked by
 * synchronized blocks of this frame, outermost first. {@link #callArguments} rebuild the pending
 * call: the receiver first (for an instance call), then the arguments.
 *
 * @param className binary name of the declaring class
 * @param methodName the method's name
 * @param descriptor the method's descriptor
 * @param instruction index of the pending call among the method's original instructions
 * @param bci the live bytecode index (for display)
 * @param line the source line of the pending call, or -1
 * @param callSignature owner.name+descriptor of the pending call, to detect changed code on resume
 * @param values locals then stack, as laid out above
 * @param monitors locks held by synchronized blocks, outermost first
 * @param callArguments receiver and arguments of the pending call
 * @param localCount how many of the values are locals (the rest is operand stack)
 * @param names a name for every value ("local i", "stack[0]") for messages and inspection
 * @param receiverStandIn when the pending call's receiver was lost (a dead slot in a compiled
 *     frame), the class to allocate a stand-in of: one that dispatches the call to the same method
 */
public record CapturedFrame(String className, String methodName, String descriptor, int instruction, int bci,
        int line, String callSignature, Object[] values, Object[] monitors, Object[] callArguments, int localCount, String[] names, String receiverStandIn) {

    /** @return "Class.method(line N)" for messages */
    public String where() {
        return className + "." + methodName + "(" + (line > 0 ? "line " + line : "bci " + bci) + ")";
    }

    /** @return true when the pending call has a receiver (the first call argument) */
    public boolean instanceCall() {
        String desc = callSignature.substring(callSignature.indexOf('('));
        return callArguments.length > org.objectweb.asm.Type.getArgumentTypes(desc).length;
    }

    /** @return the key that identifies the method: className.methodName+descriptor */
    public String methodKey() {
        return className + "." + methodName + descriptor;
    }

    /** @return named values for inspection; see {@link dev.rewind.FrameView#locals()} */
    public Map<String, Object> namedLocals() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < localCount && i < values.length; i++) {
            m.put(names[i], values[i]);
        }
        return m;
    }
}
