package dev.rewind.internal.bridge;

import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * The restore entry point for JDK classes (for example {@code ArrayList.forEach} on a saved chain).
 * Their prologues cannot see Rewind's runtime, which the application class loader loads, so this
 * one class is also put on the boot class path (see {@code BootBridge}) and forwards to the runtime
 * through hooks the agent installs. It depends on java.base only.
 */
public final class RestoreBridge {
    private static boolean active;
    private static IntFunction<Object[]> enter;
    private static IntUnaryOperator afterLock;
    private static Supplier<Object[]> data;

    private RestoreBridge() {
    }

    /** Installs the runtime's hooks; called once by the agent. */
    public static synchronized void install(IntFunction<Object[]> enterHook, IntUnaryOperator afterLockHook,
            Supplier<Object[]> dataHook) {
        enter = enterHook;
        afterLock = afterLockHook;
        data = dataHook;
    }

    /** Turns the JDK prologues on or off (on only while a chain is being re-entered). */
    public static void setActive(boolean on) {
        active = on;
    }

    /** @see dev.rewind.internal.restore.RestoreRuntime#enter(int) */
    public static Object[] enter(int methodId) {
        return active && enter != null ? enter.apply(methodId) : null;
    }

    /** @see dev.rewind.internal.restore.RestoreRuntime#afterLock(int) */
    public static int afterLock(int methodId) {
        return active && afterLock != null ? afterLock.applyAsInt(methodId) : -1;
    }

    /** @see dev.rewind.internal.restore.RestoreRuntime#data() */
    public static Object[] data() {
        return data != null ? data.get() : null;
    }
}
