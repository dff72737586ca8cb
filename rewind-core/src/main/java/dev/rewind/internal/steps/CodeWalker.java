package dev.rewind.internal.steps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * One fingerprint computation: takes entry points, follows every application method they can
 * reach, and hashes each one once, in the order it was first reached. The order is breadth first
 * over the instructions in class-file order, so identical code yields an identical hash stream.
 *
 * <p>What is followed from a method's code:
 * <ul>
 *   <li>invoke instructions and method handle constants (lambda bodies and method references in
 *       invokedynamic bootstrap arguments, bootstrap methods, ldc'd handles), resolved to the
 *       declaration in the named owner or its nearest supertype that declares it;</li>
 *   <li>for NEW (and constructor references) of an application class, the methods of that class
 *       and of its application superclasses that override a supertype's method, since library
 *       code may call them (a JDK sort calling an anonymous Comparator's {@code compare});</li>
 *   <li>for a read of a non-synthetic static field of an application class, the declaring
 *       class's static initialiser, which computes the value (and, for a compile-time constant,
 *       the constant itself).</li>
 * </ul>
 * Library code (JDK, Rewind) is never entered: a call into it is hashed as the call instruction.
 */
final class CodeWalker implements MethodNormalizer.References {
    /** Bumped whenever the hash stream changes meaning, so old fingerprints stop matching. */
    private static final String FORMAT = "rewind-code-fingerprint/1";
    /** The access flags that change what a method does; visibility does not. */
    private static final int BEHAVIOUR_FLAGS =
        Opcodes.ACC_STATIC | Opcodes.ACC_SYNCHRONIZED | Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_STRICT;

    private record ClassKey(ClassLoader loader, String name) {
    }

    private final ClassIndex index = new ClassIndex();
    private final Hierarchy hierarchy = new Hierarchy(index);
    private final CanonicalNames names = new CanonicalNames();
    private final DigestWriter out = new DigestWriter();
    private final MethodNormalizer normalizer = new MethodNormalizer(out, names, this);
    private final ArrayDeque<MethodRef> queue = new ArrayDeque<>();
    private final Set<MethodRef> reached = new HashSet<>();
    private final Set<ClassKey> instantiated = new HashSet<>();
    private final List<String> methods = new ArrayList<>();
    /** The loader the method being hashed was found through; its references resolve through it too. */
    private ClassLoader current;

    CodeWalker() {
        out.str(FORMAT);
    }

    /**
     * Enters through a lambda's implementation method, as a SerializedLambda describes it.
     *
     * @param implKind a {@link java.lang.invoke.MethodHandleInfo} reference kind
     */
    void lambdaEntry(ClassLoader loader, int implKind, String implClass, String implName, String implDescriptor) {
        out.tag('L').i32(implKind).str(names.mapType(implClass))
            .str(names.mapMethodName(implClass, implName, implDescriptor)).str(names.mapMethodDesc(implDescriptor));
        current = loader;
        if (implKind == java.lang.invoke.MethodHandleInfo.REF_newInvokeSpecial) {
            instantiated(implClass);
        }
        if (follow(loader, implClass, implName, implDescriptor) == Hierarchy.Resolution.LIBRARY) {
            methods.add(new MethodRef(loader, implClass, implName, implDescriptor).display() + " (library code: not followed)");
        }
    }

    /**
     * Enters through one method.
     *
     * @return where it resolved, so the caller can reject a method that does not exist
     */
    Hierarchy.Resolution methodEntry(ClassLoader loader, String owner, String name, String descriptor) {
        out.tag('R').str(names.mapType(owner)).str(names.mapMethodName(owner, name, descriptor))
            .str(names.mapMethodDesc(descriptor));
        Hierarchy.Resolution r = follow(loader, owner, name, descriptor);
        if (r == Hierarchy.Resolution.LIBRARY) {
            methods.add(new MethodRef(loader, owner, name, descriptor).display() + " (library code: not followed)");
        }
        return r;
    }

    /** Enters through every method a class declares (a step body that is not a lambda). */
    void classEntry(Class<?> c) {
        String name = ClassIndex.internalName(c);
        ClassLoader loader = c.getClassLoader();
        out.tag('O').str(names.mapType(name));
        if (!ClassIndex.isApplication(c)) {
            methods.add(c.getName() + " (library code: not followed)");
            return;
        }
        ClassIndex.Entry e = index.lookup(loader, name);
        if (e.kind() != ClassIndex.Kind.APPLICATION) {
            out.tag('U');
            methods.add(c.getName() + " (bytes unavailable)");
            return;
        }
        for (MethodNode m : e.node().methods) {
            // javac's lambda deserialiser lists the class's serializable lambdas by name: not step code
            if (!m.name.equals("$deserializeLambda$")) {
                reach(new MethodRef(loader, name, m.name, m.desc));
            }
        }
    }

    /**
     * Follows a call from outside the walk's code (a functional interface method called on the step
     * body): resolves it and queues the declaration when it is application code.
     */
    Hierarchy.Resolution follow(ClassLoader loader, String owner, String name, String descriptor) {
        if (!index.isApplication(loader, owner)) {
            return Hierarchy.Resolution.LIBRARY;
        }
        Hierarchy.Resolution r = hierarchy.resolveMethod(loader, owner, name, descriptor);
        if (r.target() != null) {
            reach(r.target());
        }
        return r;
    }

    /**
     * Records something the hash must reflect that is not a method.
     *
     * @param hashed what goes into the hash (must not vary between runs of identical code)
     * @param listed what {@link CodeFingerprint.Result#methods()} shows
     */
    void note(String hashed, String listed) {
        out.tag('!').str(hashed);
        methods.add(listed);
    }

    /** Hashes everything reachable from the entries. */
    CodeFingerprint.Result finish() {
        while (!queue.isEmpty()) {
            MethodRef ref = queue.poll();
            current = ref.loader();
            hash(ref);
        }
        return new CodeFingerprint.Result(out.hex(), List.copyOf(methods));
    }

    private void reach(MethodRef ref) {
        if (reached.add(ref)) {
            queue.add(ref);
        }
    }

    private void hash(MethodRef ref) {
        out.tag('M').str(names.mapType(ref.owner())).str(names.mapMethodName(ref.owner(), ref.name(), ref.descriptor()))
            .str(names.mapMethodDesc(ref.descriptor()));
        ClassIndex.Entry e = index.lookup(ref.loader(), ref.owner());
        if (e.kind() != ClassIndex.Kind.APPLICATION) {
            // its name is in the hash; a class generated at run time has no class file to read
            out.tag('U');
            methods.add(ref.display() + " (bytes unavailable)");
            return;
        }
        MethodNode m = ClassIndex.declared(e.node(), ref.name(), ref.descriptor());
        if (m == null) {
            out.tag('X');
            methods.add(ref.display() + " (not declared in its class file)");
            return;
        }
        out.i32(m.access & BEHAVIOUR_FLAGS);
        if (m.instructions.size() == 0) {
            out.tag('A');
            methods.add(ref.display() + " (no code: signature only)");
            return;
        }
        methods.add(ref.display());
        normalizer.write(m);
    }

    @Override
    public void invoked(String owner, String name, String descriptor) {
        follow(current, owner, name, descriptor);
    }

    @Override
    public void handle(Handle h) {
        int tag = h.getTag();
        if (tag < Opcodes.H_INVOKEVIRTUAL) {
            return; // a field handle: its owner, name and type are already hashed
        }
        if (tag == Opcodes.H_NEWINVOKESPECIAL) {
            instantiated(h.getOwner());
        }
        follow(current, h.getOwner(), h.getName(), h.getDesc());
    }

    @Override
    public void instantiated(String owner) {
        if (!instantiated.add(new ClassKey(current, owner))) {
            return;
        }
        // the overrides the new object runs, declared in its class or inherited from an application
        // superclass; the lowest declaration of each signature is the one that runs
        Set<String> taken = new HashSet<>();
        for (String c = owner; c != null; ) {
            ClassIndex.Entry e = index.lookup(current, c);
            if (e.kind() != ClassIndex.Kind.APPLICATION) {
                return; // library class, or unavailable: its constructor call records that
            }
            for (MethodNode m : hierarchy.overridingMethods(current, e.node())) {
                if (taken.add(m.name + m.desc)) {
                    reach(new MethodRef(current, c, m.name, m.desc));
                }
            }
            c = e.node().superName;
        }
    }

    @Override
    public Object staticRead(String owner, String name, String descriptor) {
        if (!index.isApplication(current, owner)) {
            return null;
        }
        Hierarchy.FieldDeclaration d = hierarchy.resolveField(current, owner, name, descriptor);
        if (d == null) {
            return null;
        }
        FieldNode f = d.field();
        if ((f.access & Opcodes.ACC_SYNTHETIC) == 0) {
            // javac's own statics ($assertionsDisabled, switch maps) would tie every step to the
            // whole static initialiser of its class for nothing
            ClassNode declaring = index.lookup(current, d.owner()).node();
            if (ClassIndex.declared(declaring, "<clinit>", "()V") != null) {
                reach(new MethodRef(current, d.owner(), "<clinit>", "()V"));
            }
        }
        boolean constant = (f.access & (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL)) == (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL);
        return constant ? f.value : null;
    }
}
