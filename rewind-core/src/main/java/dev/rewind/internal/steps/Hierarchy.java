package dev.rewind.internal.steps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Answers "which declaration does this reference reach" over the class files of a
 * {@link ClassIndex}, statically: the receiver's run-time class is unknown, so a virtual call
 * resolves to the named owner's own or inherited declaration, never to an override below it.
 */
final class Hierarchy {
    /** How a method reference resolved. */
    enum Outcome {
        /** Declared in available application code: {@link Resolution#method()} is the declaration. */
        FOUND,
        /** Declared in library code (or the search met library code and nothing else). */
        LIBRARY,
        /** The search met an application class without a class file, which may declare it. */
        UNAVAILABLE,
        /** Application code all the way up, yet no declaration: class files and code disagree. */
        NOT_FOUND
    }

    /**
     * Where a method reference leads.
     *
     * @param target the method to hash (declaration, or the reference where it could not be found);
     *     null for LIBRARY
     * @param method the declaration, only for FOUND
     */
    record Resolution(Outcome outcome, MethodRef target, MethodNode method) {
        static final Resolution LIBRARY = new Resolution(Outcome.LIBRARY, null, null);
    }

    /** A static field's declaration. */
    record FieldDeclaration(String owner, FieldNode field) {
    }

    private final ClassIndex index;

    Hierarchy(ClassIndex index) {
        this.index = index;
    }

    /**
     * Finds the declaration a call to owner.name(descriptor) runs, without knowing the receiver's
     * class: the named owner, then its superclasses, then their superinterfaces (default methods
     * and abstract declarations), breadth first in declaration order.
     *
     * @return the resolution; {@link Resolution#LIBRARY} when the owner is library code, or a
     *     library supertype declares the method (a library superclass takes precedence over
     *     application interfaces; between interfaces, an application declaration is preferred, which
     *     can only include code the JVM would not run, never omit code it would)
     */
    Resolution resolveMethod(ClassLoader loader, String owner, String name, String descriptor) {
        List<String> interfaces = new ArrayList<>();
        for (String c = owner; c != null; ) {
            ClassIndex.Entry e = index.lookup(loader, c);
            if (e.kind() == ClassIndex.Kind.LIBRARY) {
                if (libraryDeclares(loader, c, name, descriptor, new HashSet<>())) {
                    return Resolution.LIBRARY;
                }
                break; // java.lang.Object, say, when the method is an application default method
            }
            if (e.kind() == ClassIndex.Kind.UNAVAILABLE) {
                // the declaration may be in the missing class; say so rather than guess
                return new Resolution(Outcome.UNAVAILABLE, new MethodRef(loader, c, name, descriptor), null);
            }
            MethodNode m = ClassIndex.declared(e.node(), name, descriptor);
            if (m != null) {
                return new Resolution(Outcome.FOUND, new MethodRef(loader, c, name, descriptor), m);
            }
            interfaces.addAll(e.node().interfaces);
            c = e.node().superName;
        }
        ArrayDeque<String> pending = new ArrayDeque<>(interfaces);
        Set<String> seen = new HashSet<>();
        boolean library = false;
        while (!pending.isEmpty()) {
            String i = pending.poll();
            if (!seen.add(i)) {
                continue;
            }
            ClassIndex.Entry e = index.lookup(loader, i);
            if (e.kind() == ClassIndex.Kind.LIBRARY) {
                library |= libraryDeclares(loader, i, name, descriptor, new HashSet<>());
            } else if (e.kind() == ClassIndex.Kind.UNAVAILABLE) {
                return new Resolution(Outcome.UNAVAILABLE, new MethodRef(loader, i, name, descriptor), null);
            } else {
                MethodNode m = ClassIndex.declared(e.node(), name, descriptor);
                if (m != null) {
                    return new Resolution(Outcome.FOUND, new MethodRef(loader, i, name, descriptor), m);
                }
                pending.addAll(e.node().interfaces);
            }
        }
        // not found in application code: the hash keeps the reference, the list says "not declared"
        return library ? Resolution.LIBRARY : new Resolution(Outcome.NOT_FOUND, new MethodRef(loader, owner, name, descriptor), null);
    }

    /**
     * @return whether a library class or one of its supertypes declares the method; true when a
     *     class file is missing, since library code is not followed either way
     */
    private boolean libraryDeclares(ClassLoader loader, String c, String name, String descriptor, Set<String> seen) {
        if (!seen.add(c)) {
            return false;
        }
        ClassNode h = index.header(loader, c);
        if (h == null) {
            return true;
        }
        if (ClassIndex.declared(h, name, descriptor) != null) {
            return true;
        }
        if (h.superName != null && libraryDeclares(loader, h.superName, name, descriptor, seen)) {
            return true;
        }
        for (String i : h.interfaces) {
            if (libraryDeclares(loader, i, name, descriptor, seen)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds a static field's declaration the way the JVM resolves a field: the class, its
     * superinterfaces, then its superclass. Library classes are not searched.
     *
     * @return the declaration, or null when it is not in available application code
     */
    FieldDeclaration resolveField(ClassLoader loader, String owner, String name, String descriptor) {
        ClassIndex.Entry e = index.lookup(loader, owner);
        if (e.kind() != ClassIndex.Kind.APPLICATION) {
            return null;
        }
        for (FieldNode f : e.node().fields) {
            if (f.name.equals(name) && f.desc.equals(descriptor)) {
                return new FieldDeclaration(owner, f);
            }
        }
        for (String i : e.node().interfaces) {
            FieldDeclaration d = resolveField(loader, i, name, descriptor);
            if (d != null) {
                return d;
            }
        }
        return e.node().superName == null ? null : resolveField(loader, e.node().superName, name, descriptor);
    }

    /**
     * The instance methods of an application class through which code outside the walk (a JDK
     * collection calling {@code compare}, say) can call into an instance of it: those that override
     * or implement a method of a supertype. When a supertype's class file is missing every
     * non-private instance method counts, to err on the side of including code.
     */
    List<MethodNode> overridingMethods(ClassLoader loader, ClassNode c) {
        Set<String> inherited = new HashSet<>();
        boolean complete = collectInherited(loader, c, inherited, new HashSet<>());
        List<MethodNode> result = new ArrayList<>();
        for (MethodNode m : c.methods) {
            boolean instance = (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0 && !m.name.startsWith("<");
            if (instance && (!complete || inherited.contains(m.name + m.desc))) {
                result.add(m);
            }
        }
        return result;
    }

    /** @return false when some supertype's class file could not be read */
    private boolean collectInherited(ClassLoader loader, ClassNode c, Set<String> into, Set<String> seen) {
        boolean complete = true;
        List<String> supers = new ArrayList<>(c.interfaces);
        if (c.superName != null) {
            supers.add(c.superName);
        }
        for (String s : supers) {
            if (!seen.add(s)) {
                continue;
            }
            ClassNode h = index.header(loader, s);
            if (h == null) {
                complete = false;
                continue;
            }
            for (MethodNode m : h.methods) {
                if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0) {
                    into.add(m.name + m.desc);
                }
            }
            complete &= collectInherited(loader, h, into, seen);
        }
        return complete;
    }
}
