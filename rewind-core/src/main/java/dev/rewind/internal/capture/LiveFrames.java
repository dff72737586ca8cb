package dev.rewind.internal.capture;

import dev.rewind.RewindException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the calling thread's live frames with the JDK's {@code java.lang.LiveStackFrame} walker, a
 * package-private interface of java.base reached reflectively (needs java.lang opened, which the
 * agent does). Primitive slots come back as untyped 64-bit words; {@link RawFrame#word} reads them.
 */
public final class LiveFrames {
    private static final LiveFrames INSTANCE = create();

    private final StackWalker walker;
    private final MethodHandle locals;
    private final MethodHandle stack;
    private final MethodHandle monitors;
    private final Class<?> primitiveSlot;
    private final MethodHandle longValue;

    private LiveFrames(StackWalker walker, MethodHandle locals, MethodHandle stack, MethodHandle monitors,
            Class<?> primitiveSlot, MethodHandle longValue) {
        this.walker = walker;
        this.locals = locals;
        this.stack = stack;
        this.monitors = monitors;
        this.primitiveSlot = primitiveSlot;
        this.longValue = longValue;
    }

    private static LiveFrames create() {
        try {
            Class<?> live = Class.forName("java.lang.LiveStackFrame");
            Method factory = live.getMethod("getStackWalker", Set.class);
            factory.setAccessible(true);
            StackWalker walker = (StackWalker) factory.invoke(null,
                EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES,
                    StackWalker.Option.SHOW_REFLECT_FRAMES));
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Method getLocals = live.getMethod("getLocals");
            getLocals.setAccessible(true);
            Method getStack = live.getMethod("getStack");
            getStack.setAccessible(true);
            Method getMonitors = live.getMethod("getMonitors");
            getMonitors.setAccessible(true);
            Class<?> slot = Class.forName("java.lang.LiveStackFrame$PrimitiveSlot");
            Method lv = slot.getMethod("longValue");
            lv.setAccessible(true);
            MethodType objArray = MethodType.methodType(Object[].class, Object.class);
            return new LiveFrames(walker,
                lookup.unreflect(getLocals).asType(objArray),
                lookup.unreflect(getStack).asType(objArray),
                lookup.unreflect(getMonitors).asType(objArray),
                slot,
                lookup.unreflect(lv).asType(MethodType.methodType(long.class, Object.class)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @return the walker
     * @throws RewindException when java.lang is not open to Rewind (the program was not started by
     *     {@code rewind run}) or the JDK has no live stack frames
     */
    public static LiveFrames get() {
        if (INSTANCE == null) {
            throw new RewindException("cannot read live stack frames: java.base/java.lang is not open to Rewind. "
                + "Start the program with `rewind run -- java ...` (or add --add-opens java.base/java.lang=ALL-UNNAMED"
                + " and -javaagent:rewind-core.jar)");
        }
        return INSTANCE;
    }

    /** @return the calling thread's frames, innermost first, including hidden and reflection frames */
    public List<RawFrame> walk() {
        return walker.walk(s -> {
            List<RawFrame> out = new ArrayList<>();
            s.forEach(f -> out.add(toRaw(f)));
            return out;
        });
    }

    private RawFrame toRaw(StackWalker.StackFrame f) {
        try {
            return new RawFrame(f.getDeclaringClass(), f.getMethodName(), f.getDescriptor(), f.getByteCodeIndex(),
                f.getLineNumber(), (Object[]) locals.invokeExact((Object) f), (Object[]) stack.invokeExact((Object) f),
                (Object[]) monitors.invokeExact((Object) f), this);
        } catch (Throwable e) {
            throw new RewindException("cannot read frame " + f, e);
        }
    }

    boolean isPrimitive(Object slot) {
        return slot != null && primitiveSlot.isInstance(slot);
    }

    long word(Object slot) {
        try {
            return (long) longValue.invokeExact(slot);
        } catch (Throwable e) {
            throw new RewindException("cannot read a primitive slot", e);
        }
    }
}
