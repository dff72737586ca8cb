package dev.rewind.internal.capture;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.rewind.internal.agent.NativeAgentLibrary;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes C2-optimised state visible to the {@code LiveStackFrame} walker.
 *
 * <p>In C2-compiled frames, objects that escape analysis scalar-replaced read as {@code null} in
 * {@code getLocals()} and locks C2 eliminated on them are missing from {@code getMonitors()}.
 * The native agent {@code librewind-jvmti.so} (src/main/c/rewind_jvmti.c, loaded with
 * {@code -agentpath:}, see {@link NativeAgentLibrary}) holds the JVMTI capability
 * {@code can_get_owned_monitor_info}; calling JVMTI {@code GetOwnedMonitorInfo} on the current
 * thread then runs HotSpot's escape barrier (JDK-8227745), which reallocates those objects and
 * re-takes those locks in the top {@code MaxJavaStackTraceDepth} frames. Call {@link #materialize()}
 * on the thread being captured immediately before walking its stack.
 *
 * <p>The natives are bound by HotSpot's lookup in JVMTI agent libraries; nothing calls
 * {@code System.load}. Without the agent {@link #isActive()} is false and {@link #materialize()} is
 * a no-op; the launcher then runs the program with {@code -XX:-EliminateAllocations} instead.
 */
public final class EscapeBarrier {

    private static final boolean ACTIVE = probe();
    private static final AtomicLong FAILURES = new AtomicLong();
    private static volatile int lastError;

    private EscapeBarrier() {
    }

    /** Returns 1 when the agent is loaded and got its capability; throws UnsatisfiedLinkError when not loaded. */
    private static native int loaded0();

    /** GetOwnedMonitorInfo(current thread); returns the jvmtiError (0 = ok), -1 if the agent has no capability. */
    private static native int materialize0();

    private static boolean probe() {
        try {
            return loaded0() == 1;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** True when the native agent is bound and holds {@code can_get_owned_monitor_info}. */
    public static boolean isActive() {
        return ACTIVE;
    }

    /**
     * Reallocates scalar-replaced objects and re-takes eliminated locks in the compiled frames of the
     * current thread, so that a stack walk that follows sees them. A no-op without the agent. A JVMTI
     * error is not thrown (the capture then sees what it would have seen without the barrier) but is
     * remembered for {@link #describeRoute()}.
     */
    public static void materialize() {
        if (!ACTIVE) {
            return;
        }
        int rc = materialize0();
        if (rc != 0) {
            lastError = rc;
            FAILURES.incrementAndGet();
        }
    }

    /** The last nonzero JVMTI error returned by {@link #materialize()}, 0 if none. */
    public static int lastError() {
        return lastError;
    }

    /**
     * How many frames from the top of the stack the barrier covers: HotSpot passes
     * {@code MaxJavaStackTraceDepth} to the escape barrier. Deeper compiled frames keep their
     * scalar-replaced objects as null. -1 if the flag cannot be read.
     */
    public static int coveredDepth() {
        return vmOption("MaxJavaStackTraceDepth").map(v -> {
            try {
                return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(v));
            } catch (NumberFormatException e) {
                return -1;
            }
        }).orElse(-1);
    }

    /** One line for {@code rewind doctor} describing how this JVM deals with scalar replacement. */
    public static String describeRoute() {
        if (ACTIVE) {
            String s = "escape barrier: native JVMTI agent active (can_get_owned_monitor_info), covers "
                    + coveredDepth() + " frames (MaxJavaStackTraceDepth)";
            long failures = FAILURES.get();
            if (failures > 0) {
                s += "; " + failures + " GetOwnedMonitorInfo call(s) failed, last JVMTI error " + lastError;
            }
            return s;
        }
        Optional<String> ea = vmOption("DoEscapeAnalysis");
        Optional<String> elim = vmOption("EliminateAllocations");
        if (ea.isEmpty() && elim.isEmpty()) {
            return "escape barrier: native agent not loaded; no C2 escape-analysis flags on this VM ("
                    + System.getProperty("java.vm.name") + "), scalar replacement not detected";
        }
        if ("false".equals(elim.orElse(null))) {
            return "escape barrier: not needed, escape analysis disabled by -XX:-EliminateAllocations";
        }
        if ("false".equals(ea.orElse(null))) {
            return "escape barrier: not needed, escape analysis disabled by -XX:-DoEscapeAnalysis";
        }
        Optional<String> reason = NativeAgentLibrary.unavailableReason();
        return "escape barrier: native agent not loaded in this JVM (hot scalar-replaced objects may capture as null); "
                + (reason.isEmpty()
                ? "launched programs get -agentpath:" + NativeAgentLibrary.find().map(Object::toString).orElse("?")
                : "falling back to -XX:-EliminateAllocations (slower on allocation-heavy code): " + reason.get());
    }

    /** @return true when the JVM runs without scalar replacement (-XX:-EliminateAllocations or -XX:-DoEscapeAnalysis) */
    public static boolean scalarReplacementOff() {
        return "false".equals(vmOption("EliminateAllocations").orElse(null))
                || "false".equals(vmOption("DoEscapeAnalysis").orElse(null));
    }

    /**
     * Refuses a capture on a virtual thread unless scalar replacement is off: the escape barrier
     * does not cover virtual threads, so an object the JIT scalar-replaced would be saved as null.
     */
    public static void checkThread() {
        Thread t = Thread.currentThread();
        if (IS_VIRTUAL != null && !scalarReplacementOff()) {
            boolean virtual;
            try {
                virtual = (boolean) IS_VIRTUAL.invokeExact(t);
            } catch (Throwable e) {
                return;
            }
            if (virtual) {
                throw new dev.rewind.CheckpointRefusedException("cannot capture on virtual thread " + t
                    + ": the escape barrier that recovers objects the JIT scalar-replaced does not cover virtual"
                    + " threads. Capture on a platform thread, or start the JVM with -XX:-EliminateAllocations"
                    + " (slower on allocation-heavy code).");
            }
        }
    }

    /** Thread.isVirtual (JDK 21+), or null on older JDKs, which have no virtual threads. */
    private static final java.lang.invoke.MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static java.lang.invoke.MethodHandle isVirtualHandle() {
        try {
            return java.lang.invoke.MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                java.lang.invoke.MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Optional<String> vmOption(String name) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (bean == null) {
                return Optional.empty();
            }
            VMOption option = bean.getVMOption(name);
            return Optional.ofNullable(option.getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException | LinkageError e) {
            return Optional.empty(); // flag unknown (non-C2 VM) or management not available
        }
    }
}
