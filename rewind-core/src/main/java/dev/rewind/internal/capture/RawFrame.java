package dev.rewind.internal.capture;

/**
 * One live frame as the walker reports it: slots are either objects (references, possibly null)
 * or opaque primitive words. A long or double occupies two slots and its value is in the second
 * one (measured on JDK 17 and 25, interpreted and compiled); an int's word may carry garbage in
 * its high half in compiled frames.
 */
public final class RawFrame {
    final Class<?> declaringClass;
    final String methodName;
    final String descriptor;
    final int bci;
    final int line;
    final Object[] locals;
    final Object[] stack;
    final Object[] monitors;
    private final LiveFrames walker;

    RawFrame(Class<?> declaringClass, String methodName, String descriptor, int bci, int line, Object[] locals,
            Object[] stack, Object[] monitors, LiveFrames walker) {
        this.declaringClass = declaringClass;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.bci = bci;
        this.line = line;
        this.locals = locals;
        this.stack = stack;
        this.monitors = monitors;
        this.walker = walker;
    }

    /** @return true when the slot holds a primitive word rather than a reference */
    boolean isPrimitive(Object slot) {
        return walker.isPrimitive(slot);
    }

    /** @return the 64-bit word of a primitive slot, 0 for a reference slot */
    long word(Object slot) {
        return walker.isPrimitive(slot) ? walker.word(slot) : 0L;
    }

    /** @return the reference in a slot, null for a primitive word (a dead slot in a compiled frame) */
    Object reference(Object slot) {
        return walker.isPrimitive(slot) ? null : slot;
    }

    /** @return "Class.method(File.java:line)" for messages */
    String where() {
        return declaringClass.getName() + "." + methodName + "(" + (line > 0 ? "line " + line : "bci " + bci) + ")";
    }
}
