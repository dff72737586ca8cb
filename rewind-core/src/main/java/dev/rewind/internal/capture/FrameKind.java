package dev.rewind.internal.capture;

/** What Rewind can do with a frame on the captured chain. */
enum FrameKind {
    /** Rewind's own API and runtime frames above the capture point: not saved */
    REWIND,
    /** an application method: saved and re-entered through a restore prologue */
    APPLICATION,
    /** a frame that only forwards a call (lambda proxy, reflection, method handle): re-invoked */
    FORWARDER,
    /** any other JDK frame */
    JDK;

    static FrameKind of(Class<?> c, String method) {
        String name = c.getName();
        if (ClassOrigin.isRewind(c)) {
            return REWIND;
        }
        if (c.isHidden() || name.startsWith("jdk.internal.reflect.") || name.startsWith("java.lang.invoke.")
                || (name.equals("java.lang.reflect.Method") && method.equals("invoke"))) {
            return FORWARDER;
        }
        return ClassOrigin.isJdk(c) ? JDK : APPLICATION;
    }
}
