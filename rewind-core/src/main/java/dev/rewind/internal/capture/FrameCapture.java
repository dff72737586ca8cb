package dev.rewind.internal.capture;

import dev.rewind.CheckpointRefusedException;
import dev.rewind.internal.bytecode.ClassBytes;
import dev.rewind.internal.bytecode.CodeLocation;
import dev.rewind.internal.bytecode.MethodFrames;
import dev.rewind.internal.bytecode.ValueSources;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Turns the walker's raw frames into typed {@link CapturedFrame}s and refuses, at capture time,
 * every chain that could not be re-entered: constructor, class-initialiser or native frames, an
 * object under construction in a slot, JDK frames between application frames.
 */
public final class FrameCapture {
    private FrameCapture() {
    }

    /**
     * @param raw the thread's frames, innermost first, as {@link LiveFrames#walk()} returns them
     * @param entryClass when not null, the outermost application frame must be this class's
     *     {@code main(String[])} (a checkpoint is resumed by running the program's command again)
     * @return the application frames, outermost first
     * @throws CheckpointRefusedException when the chain cannot be re-entered
     */
    public static List<CapturedFrame> capture(List<RawFrame> raw, String entryClass) {
        int first = 0;
        while (first < raw.size() && FrameKind.of(raw.get(first).declaringClass, raw.get(first).methodName)
                == FrameKind.REWIND) {
            first++;
        }
        // a chain re-entered by Rewind.jump runs on top of the jump call: the chain ends there
        int end = first;
        while (end < raw.size() && FrameKind.of(raw.get(end).declaringClass, raw.get(end).methodName)
                != FrameKind.REWIND) {
            end++;
        }
        int last = -1;
        for (int i = first; i < end; i++) {
            if (FrameKind.of(raw.get(i).declaringClass, raw.get(i).methodName) == FrameKind.APPLICATION) {
                last = i;
            }
        }
        if (last < 0 || first == 0) {
            throw new CheckpointRefusedException("no application frame calls Rewind on this thread's stack");
        }
        RawFrame outer = raw.get(last);
        if (entryClass != null && !(outer.declaringClass.getName().equals(entryClass)
                && outer.methodName.equals("main") && outer.descriptor.equals("([Ljava/lang/String;)V"))) {
            throw new CheckpointRefusedException("cannot checkpoint here: the outermost application frame is "
                + outer.where() + ", not " + entryClass + ".main(String[]). Rewind resumes a program by running"
                + " its command again, so checkpoints must be taken on the main thread, under the main method"
                + " of the class the program was started with.");
        }
        List<CapturedFrame> out = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            RawFrame f = raw.get(i);
            FrameKind kind = FrameKind.of(f.declaringClass, f.methodName);
            if (f.bci < 0) {
                throw new CheckpointRefusedException("cannot checkpoint inside " + f.where()
                    + ": it is a native method (called from " + callerWhere(raw, i, last) + "), whose frame"
                    + " cannot be rebuilt. Move the checkpoint out of the call through native code.");
            }
            if (kind == FrameKind.APPLICATION || kind == FrameKind.JDK) {
                // a JDK frame between application frames (ArrayList.forEach, Iterable.forEach...) gets a
                // prologue of its own on resume, through retransformation

                RawFrame callee = raw.get(i - 1);
                RawFrame impl = i >= 2 && FrameKind.of(callee.declaringClass, callee.methodName) == FrameKind.FORWARDER
                    ? raw.get(i - 2) : null;
                out.add(captureOne(f, callee, impl));
            }
        }
        Collections.reverse(out);
        return out;
    }

    private static String callerWhere(List<RawFrame> raw, int i, int last) {
        return i + 1 <= last ? raw.get(i + 1).where() : "?";
    }

    private static CapturedFrame captureOne(RawFrame f, RawFrame callee, RawFrame impl) {
        if (f.methodName.equals("<init>")) {
            throw refuse(f, "it is a constructor, and a half-built object cannot be re-entered. Move the"
                + " checkpoint out of the constructor (into a method called after construction)");
        }
        if (f.methodName.equals("<clinit>")) {
            throw refuse(f, "it is a static initialiser, which the JVM runs once per class. Move the checkpoint"
                + " out of the static block");
        }
        CodeLocation loc = CodeLocation.of(f.declaringClass, f.methodName, f.descriptor, f.bci, callee.methodName);
        if (loc == null) {
            throw refuse(f, "its bytecode index " + f.bci + " is not at a call to " + callee.methodName
                + " in Rewind's analysis of the class file (was the class changed by another agent?)");
        }
        MethodFrames mf = loc.frames();
        int idx = loc.instruction();
        AbstractInsnNode insn = mf.instruction(idx);
        if (!(insn instanceof MethodInsnNode)) {
            throw refuse(f, "the frame is not suspended at a method call (opcode " + insn.getOpcode() + ")");
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        Object[] localTypes = mf.locals(idx);
        Object[] stackTypes = mf.stack(idx);
        if (localTypes == null || stackTypes == null) {
            throw refuse(f, "the verifier's frame at the call is unknown");
        }
        int argSlots = (Type.getArgumentsAndReturnSizes(call.desc) >> 2) - (call.getOpcode() == Opcodes.INVOKESTATIC ? 1 : 0);
        int keep = stackTypes.length - argSlots;
        MethodNode method = mf.method();
        List<Object> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Object[] bySlot = new Object[localTypes.length];
        for (int j = 0; j < localTypes.length; j++) {
            Object t = localTypes[j];
            if (t == Opcodes.TOP) {
                continue;
            }
            String name = localName(method, j, insn);
            checkInitialised(f, t, name);
            Object v = decode(f, t, f.locals, j);
            bySlot[j] = v;
            values.add(v);
            names.add(name);
            if (t == Opcodes.LONG || t == Opcodes.DOUBLE) {
                j++;
            }
        }
        int localCount = values.size();
        if ((method.access & Opcodes.ACC_STATIC) == 0 && bySlot.length > 0 && bySlot[0] == null
                && mf.readsLocalAfter(idx, 0)) {
            // `this` is never null: reading null where the method still uses it means a scalar-replaced
            // receiver the escape barrier did not re-materialise, not a dead slot
            throw refuse(f, "its receiver reads as null in compiled code although the method still uses it"
                + " (an object the JIT scalar-replaced and Rewind could not recover). Run with"
                + " -XX:-EliminateAllocations, or check `rewind doctor`");
        }
        for (int k = 0; k < keep; k++) {
            Object t = stackTypes[k];
            if (t == Opcodes.TOP) {
                continue;
            }
            checkInitialised(f, t, "stack[" + k + "]");
            values.add(decode(f, t, f.stack, k));
            names.add("stack[" + k + "]");
            if (t == Opcodes.LONG || t == Opcodes.DOUBLE) {
                k++;
            }
        }
        Object[] monitors = blockMonitors(f, mf, idx, bySlot, (method.access & Opcodes.ACC_SYNCHRONIZED) != 0);
        Object[] args = callArguments(f, callee, call, mf.sources().arguments(insn), bySlot);
        String standIn = call.getOpcode() != Opcodes.INVOKESTATIC && args[0] == null
            ? standIn(f, callee, call, impl, args) : null;
        return new CapturedFrame(f.declaringClass.getName(), f.methodName, f.descriptor, idx, f.bci,
            f.line > 0 ? f.line : mf.lineOf(idx), call.owner + "." + call.name + call.desc, values.toArray(),
            monitors, args, localCount, names.toArray(new String[0]), standIn);
    }

    private static void checkInitialised(RawFrame f, Object type, String name) {
        if (type instanceof Label || type == Opcodes.UNINITIALIZED_THIS) {
            throw refuse(f, name + " holds an object under construction (a `new` expression waits for this"
                + " call to return). Compute the constructor's arguments into local variables before `new`");
        }
    }

    /** Decodes one slot by its verifier type; a long or double's value is in the second slot of its pair. */
    private static Object decode(RawFrame f, Object type, Object[] slots, int j) {
        if (type == Opcodes.INTEGER) {
            return (int) f.word(at(slots, j));
        }
        if (type == Opcodes.FLOAT) {
            return Float.intBitsToFloat((int) f.word(at(slots, j)));
        }
        if (type == Opcodes.LONG) {
            return f.word(at(slots, j + 1));
        }
        if (type == Opcodes.DOUBLE) {
            return Double.longBitsToDouble(f.word(at(slots, j + 1)));
        }
        if (type == Opcodes.NULL) {
            return null;
        }
        return f.reference(at(slots, j));
    }

    private static Object at(Object[] slots, int j) {
        return j < slots.length ? slots[j] : null;
    }

    /**
     * The lock objects of the synchronized blocks around the call, outermost first. javac keeps each
     * in a local for its monitorexit, which is the reliable source (the walker may list a
     * re-entered lock under another frame); the walker's list is the fallback.
     */
    private static Object[] blockMonitors(RawFrame f, MethodFrames mf, int idx, Object[] bySlot,
            boolean synchronizedMethod) {
        int[] open = mf.openMonitors(idx);
        if (open == null) {
            throw refuse(f, "its synchronized blocks are not structured (the monitor count differs between paths)");
        }
        Object[] out = new Object[open.length];
        List<Object> walker = new ArrayList<>();
        for (Object m : f.monitors) {
            walker.add(m);
        }
        Collections.reverse(walker); // the walker lists the innermost lock first
        if (synchronizedMethod && !walker.isEmpty()) {
            walker.remove(0); // the method's own lock, taken again by the JVM on re-entry
        }
        for (int j = 0; j < open.length; j++) {
            int slot = mf.lockSlot(open[j]);
            Object lock = slot >= 0 && slot < bySlot.length ? bySlot[slot] : null;
            if (lock == null && walker.size() == open.length) {
                lock = walker.get(j);
            }
            if (lock == null) {
                throw refuse(f, "the lock of the synchronized block around the call could not be found (an"
                    + " eliminated lock; run under `rewind run`, which loads the escape-barrier agent)");
            }
            out[j] = lock;
        }
        return out;
    }

    /**
     * @return the class of a stand-in receiver for a call whose receiver was lost: the call's static
     *     type or the callee's class, whichever is concrete and dispatches to the callee's method
     */
    private static String standIn(RawFrame f, RawFrame callee, MethodInsnNode call, RawFrame impl, Object[] args) {
        FrameKind kind = FrameKind.of(callee.declaringClass, callee.methodName);
        if (kind == FrameKind.FORWARDER && callee.declaringClass.isHidden() && impl != null
                && lambdaStandInFits(call, impl, args)) {
            return LAMBDA_STAND_IN;
        }
        if (kind == FrameKind.APPLICATION || kind == FrameKind.JDK) {
            for (Class<?> c : new Class<?>[] {classNamed(call.owner, f.declaringClass), callee.declaringClass}) {
                if (c != null && !c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && !c.isHidden()
                        && dispatchesTo(c, callee)) {
                    return c.getName();
                }
            }
        }
        throw refuse(f, "the receiver of the pending call to " + call.name + " is no longer known (the JIT dropped"
            + " it as dead) and " + call.owner.replace('/', '.') + " has no concrete stand-in. "
            + (kind == FrameKind.JDK || FrameKind.of(f.declaringClass, f.methodName) == FrameKind.JDK
                ? "Move the checkpoint out of this JDK code (for example out of a stream pipeline)"
                : "Keep the object in a local variable that is used after the call"));
    }

    /** Marks a pending call through a lambda whose object the JIT dropped: re-created from its implementation. */
    public static final String LAMBDA_STAND_IN = "lambda";

    /**
     * A lambda object is only a forwarder to its implementation method (the next frame, whose own
     * prologue restores every local, captured values included), so a new lambda of the same
     * interface over the same implementation, with placeholder captured values, re-enters it. The
     * arguments the forwarder unboxes get boxed zeros instead of nulls.
     */
    private static boolean lambdaStandInFits(MethodInsnNode call, RawFrame impl, Object[] args) {
        FrameKind implKind = FrameKind.of(impl.declaringClass, impl.methodName);
        if (implKind != FrameKind.APPLICATION && implKind != FrameKind.JDK) {
            return false;
        }
        Type[] sam = Type.getArgumentTypes(call.desc);
        Type[] target = Type.getArgumentTypes(impl.descriptor);
        java.lang.reflect.Method m = declared(impl);
        if (m == null) {
            return false;
        }
        int captured = (Modifier.isStatic(m.getModifiers()) ? 0 : 1) + target.length - sam.length;
        if (captured < (Modifier.isStatic(m.getModifiers()) ? 0 : 1)) {
            return false; // an unbound method reference: its receiver is a call argument, not rebuilt
        }
        for (int k = 0; k < sam.length; k++) {
            Type t = target[target.length - sam.length + k];
            if (args[1 + k] == null && t.getSort() < Type.ARRAY && t.getSort() != Type.VOID) {
                args[1 + k] = boxedZero(t);
            }
        }
        return true;
    }

    /** @return the zero of a primitive type, boxed in its own wrapper (Character for char...) */
    private static Object boxedZero(Type t) {
        Class<?> primitive = java.lang.invoke.MethodType.fromMethodDescriptorString("()" + t.getDescriptor(), null)
            .returnType();
        return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(primitive, 1), 0);
    }

    /** @return the reflective method of a frame, or null */
    static java.lang.reflect.Method declared(RawFrame f) {
        for (java.lang.reflect.Method m : f.declaringClass.getDeclaredMethods()) {
            if (m.getName().equals(f.methodName) && Type.getMethodDescriptor(m).equals(f.descriptor)) {
                return m;
            }
        }
        return null;
    }

    private static Class<?> classNamed(String internalName, Class<?> context) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, context.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** @return true when a virtual call of the callee's method on an instance of c runs the callee's method */
    private static boolean dispatchesTo(Class<?> c, RawFrame callee) {
        org.objectweb.asm.Type[] params = org.objectweb.asm.Type.getArgumentTypes(callee.descriptor);
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(callee.methodName)
                        && org.objectweb.asm.Type.getMethodDescriptor(m).equals(callee.descriptor)
                        && !Modifier.isAbstract(m.getModifiers())) {
                    return k == callee.declaringClass;
                }
            }
        }
        // not declared in the class hierarchy: a default method of an interface
        return callee.declaringClass.isInterface() && callee.declaringClass.isAssignableFrom(c) && params != null;
    }

    private static Object[] callArguments(RawFrame f, RawFrame callee, MethodInsnNode call,
            ValueSources.Source[] sources, Object[] bySlot) {
        boolean instance = call.getOpcode() != Opcodes.INVOKESTATIC;
        Type[] params = Type.getArgumentTypes(call.desc);
        int n = params.length + (instance ? 1 : 0);
        Object[] args = new Object[n];
        FrameKind calleeKind = FrameKind.of(callee.declaringClass, callee.methodName);
        int slot = 0;
        for (int p = 0; p < n; p++) {
            Type type = instance && p == 0 ? Type.getObjectType(call.owner) : params[instance ? p - 1 : p];
            Object v = null;
            boolean known = false;
            ValueSources.Source s = sources == null ? null : sources[p];
            if (s != null && s.kind() == ValueSources.Kind.LOCAL && s.local() < bySlot.length) {
                v = bySlot[s.local()];
                known = v != null || type.getSort() < Type.ARRAY;
            } else if (s != null && s.kind() == ValueSources.Kind.CONSTANT) {
                v = s.constant();
                known = true;
            }
            if (!known || v == null) {
                Object fromCallee = calleeSlot(callee, calleeKind, type, slot, instance && p == 0);
                if (fromCallee != null) {
                    v = fromCallee;
                }
            }
            args[p] = v == null ? defaultValue(type) : v;
            slot += type.getSize();
        }
        return args;
    }

    /** Reads a parameter of the callee frame when it can be trusted to still hold the argument. */
    private static Object calleeSlot(RawFrame callee, FrameKind kind, Type type, int slot, boolean receiver) {
        if ((kind == FrameKind.APPLICATION || kind == FrameKind.JDK) && !receiver) {
            return null; // its prologue overwrites every slot; only the receiver matters for dispatch
        }
        if (slot >= callee.locals.length) {
            return null;
        }
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return callee.isPrimitive(callee.locals[slot]) ? (Object) (int) callee.word(callee.locals[slot]) : null;
            case Type.FLOAT:
                return callee.isPrimitive(callee.locals[slot])
                    ? (Object) Float.intBitsToFloat((int) callee.word(callee.locals[slot])) : null;
            case Type.LONG:
                return slot + 1 < callee.locals.length ? (Object) callee.word(callee.locals[slot + 1]) : null;
            case Type.DOUBLE:
                return slot + 1 < callee.locals.length
                    ? (Object) Double.longBitsToDouble(callee.word(callee.locals[slot + 1])) : null;
            default:
                Object o = callee.reference(callee.locals[slot]);
                if (receiver && o != null && !callee.declaringClass.isInstance(o)) {
                    return null;
                }
                return o;
        }
    }

    private static Object defaultValue(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return 0;
            case Type.FLOAT:
                return 0f;
            case Type.LONG:
                return 0L;
            case Type.DOUBLE:
                return 0d;
            default:
                return null;
        }
    }

    private static String localName(MethodNode method, int slot, AbstractInsnNode at) {
        if (method.localVariables != null) {
            int pos = method.instructions.indexOf(at);
            for (LocalVariableNode lv : method.localVariables) {
                if (lv.index == slot && method.instructions.indexOf(lv.start) <= pos
                        && pos < method.instructions.indexOf(lv.end)) {
                    return lv.name;
                }
            }
        }
        return "slot" + slot;
    }

    static CheckpointRefusedException refuse(RawFrame f, String why) {
        return new CheckpointRefusedException("cannot checkpoint in frame " + f.where() + ": " + why + ".");
    }
}
