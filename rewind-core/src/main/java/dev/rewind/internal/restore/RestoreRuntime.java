package dev.rewind.internal.restore;

/**
 * The entry point every restore prologue calls. It must cost next to nothing when no restore is
 * under way: one static field read. Public because transformed application classes call it.
 */
public final class RestoreRuntime {
    /** Set while some thread is re-entering a saved chain; plain field: the same thread sets and reads it. */
    private static boolean active;
    private static RestoreSession session;
    /** Per thread: how deep Rewind's own code is; prologues it runs through (JDK classes) stay passive. */
    private static final ThreadLocal<int[]> INSIDE_REWIND = ThreadLocal.withInitial(() -> new int[1]);

    private RestoreRuntime() {
    }

    /**
     * Called at the start of every method that has a restore prologue.
     *
     * @param methodId the method's id in the {@link RestorePlan}
     * @return null when the method runs normally; otherwise the saved frame: element 0 is the
     *     site's position in the method's switch, then locals, stack, monitors and call arguments
     */
    public static Object[] enter(int methodId) {
        if (!active || INSIDE_REWIND.get()[0] > 0) {
            return null;
        }
        RestoreSession s = session;
        return s == null ? null : s.enter(methodId);
    }

    /**
     * Called right after a monitorenter of a method that has a restore prologue.
     *
     * @param methodId the method's id
     * @return the site being restored when the lock was just re-taken by a restore, else -1
     */
    public static int afterLock(int methodId) {
        if (!active) {
            return -1;
        }
        RestoreSession s = session;
        return s == null ? -1 : s.afterLock(methodId);
    }

    /** @return the saved frame handed out by the last {@link #enter(int)} (used after re-taking a lock) */
    public static Object[] data() {
        RestoreSession s = session;
        return s == null ? null : s.lastData();
    }

    /** Starts re-entering a chain on the session's thread. Only one chain is re-entered at a time. */
    public static synchronized void begin(RestoreSession s) {
        if (session != null && !session.isDone()) {
            throw new IllegalStateException("another chain is being re-entered");
        }
        session = s;
        active = true;
        if (BootBridge.isInstalled()) {
            dev.rewind.internal.bridge.RestoreBridge.setActive(true);
        }
    }

    /**
     * Prepares the JDK class (binary name) for a restore prologue: puts the bridge on the boot
     * class path the first time. Call before the class is (re)transformed.
     */
    public static void prepareJdkClass(java.lang.instrument.Instrumentation inst) {
        BootBridge.install(inst);
    }

    /** Ends the current session (the innermost frame was reached, or re-entry failed). */
    public static synchronized void end(RestoreSession s) {
        if (session == s) {
            session = null;
            active = false;
            if (BootBridge.isInstalled()) {
                dev.rewind.internal.bridge.RestoreBridge.setActive(false);
            }
        }
    }

    private static java.util.function.Consumer<String> staticsHook;

    /** Installs what {@link #restoreStatics(String)} calls; set once when a resume is prepared. */
    public static void setStaticsHook(java.util.function.Consumer<String> hook) {
        staticsHook = hook;
    }

    /**
     * Called from the static initialiser of a class that was initialised before the checkpoint:
     * writes its saved static fields. Public because transformed application classes call it.
     *
     * @param className binary name of the class being initialised
     */
    public static void restoreStatics(String className) {
        java.util.function.Consumer<String> hook = staticsHook;
        if (hook == null) {
            return;
        }
        enterRewindCode();
        try {
            hook.accept(className);
        } finally {
            exitRewindCode();
        }
    }

    /** Marks the start of Rewind's own work on this thread (class transformation, loading a checkpoint). */
    public static void enterRewindCode() {
        INSIDE_REWIND.get()[0]++;
    }

    /** Marks the end of what {@link #enterRewindCode()} started. */
    public static void exitRewindCode() {
        INSIDE_REWIND.get()[0]--;
    }

    /** @return the session under way, or null */
    public static RestoreSession current() {
        return session;
    }
}
