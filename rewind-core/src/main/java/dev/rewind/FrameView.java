package dev.rewind;

import java.util.Map;

/** A read-only view of one captured frame. */
public interface FrameView {
    /** @return binary name of the declaring class, e.g. {@code demo.Sim$Cell} */
    String className();

    /** @return the method's name */
    String methodName();

    /** @return the method's descriptor, e.g. {@code (I)V} */
    String descriptor();

    /** @return the source line of the suspended call, or -1 when unknown */
    int line();

    /** @return the bytecode index of the suspended call */
    int bci();

    /**
     * @return the live locals by name, in slot order, where the class has a LocalVariableTable
     *     (compile with {@code -g}); otherwise by slot as {@code "slot3"}. Primitives are boxed.
     */
    Map<String, Object> locals();
}
