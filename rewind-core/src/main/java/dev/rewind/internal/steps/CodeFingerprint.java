package dev.rewind.internal.steps;

import dev.rewind.RewindException;
import java.util.List;
import java.util.Objects;

/**
 * A fingerprint of the code a pipeline step runs: SHA-256 over the normalized bytecode of the step
 * body and every application method it can reach, so that a stored step result is reused only while
 * that code is unchanged.
 *
 * <p><b>What changes the fingerprint:</b> any change to an instruction, constant, branch, switch
 * table or exception handler of a reached method; the owner class, name, descriptor and behavioural
 * flags (static, synchronized, native, abstract, strictfp) of a reached method; which methods are
 * reached; the value of a static final field constant that is read; the static initialiser of a class
 * whose non-synthetic static field is read. <b>What does not:</b> comments, blank lines, line numbers,
 * local variable names, the source file name, methods the step cannot reach, and javac's
 * class-wide numbering of lambda methods and anonymous/local classes ({@code lambda$main$1},
 * {@code Main$2}), which shifts when a lambda or anonymous class is added elsewhere in the class:
 * such names are renumbered in the order the walk meets them (see {@code CanonicalNames}).
 *
 * <p><b>What is reached:</b> the step body's entry methods (see {@code StepBodies}), then
 * transitively every method they call, reference through a method handle (nested lambdas, method
 * references), the overriding methods of application classes they instantiate, and the static
 * initialiser of application classes whose static fields they read (see {@code CodeWalker}).
 * Application code is everything but the JDK (classes the platform class loader can see, and the
 * java., javax., jdk., sun., com.sun. packages) and Rewind itself (the package dev.rewind and dev.rewind.internal.*,
 * dev.rewind.cli.*; not other subpackages such as Rewind's examples); library code is
 * never entered, a call into it counts as the call instruction only.
 *
 * <p><b>Limits</b> (the fingerprint can miss a change):
 * <ul>
 *   <li>A virtual or interface call is followed to the declaration in the named class or its
 *       nearest supertype that declares the method. Overriding implementations in subclasses are
 *       not followed, unless the reached code itself instantiates the subclass (NEW or a constructor
 *       reference), in which case its overriding methods (its own and those it inherits from
 *       application superclasses) are. Objects that arrive from outside (step inputs, captured
 *       values, fields) run code that is not in the fingerprint.</li>
 *   <li>Reflection, {@code MethodHandles.Lookup.find*}, {@code ServiceLoader} and other calls by
 *       name are not followed.</li>
 *   <li>Library code is not in the fingerprint: upgrading a dependency that lives in the JDK or in
 *       an excluded package does not change it. Dependencies on the application class path (third
 *       party jars) are application code and are followed.</li>
 *   <li>Static field values are included only as compile-time constants and through the declaring
 *       class's static initialiser; a static field assigned elsewhere, or an instance field, is
 *       state, not code.</li>
 *   <li>Values captured by a lambda step body, and the fields of a class step body, are data; only
 *       captured serializable lambdas are followed as code. A captured non-serializable lambda is
 *       listed but its code is not hashed.</li>
 *   <li>Class files are read from the class loader's resources, i.e. as compiled. A class
 *       transformed at load time or redefined (by an agent, a hot swap) is fingerprinted as its class
 *       file. A class without a class file (generated at run time) contributes its name only, and
 *       {@link Result#methods()} marks it "(bytes unavailable)".</li>
 *   <li>A class referenced by reached code is looked up through the loader its referrer was found
 *       through, as parent-first delegation would resolve it; a child-first loader that defines
 *       another version of the class may differ.</li>
 *   <li>Annotations are not code and are not hashed, even where a framework acts on them.</li>
 *   <li>The fingerprint is of bytecode: recompiling the same source with another compiler
 *       version may change it.</li>
 * </ul>
 *
 * <p>The walk runs fresh on each call (class files parsed once per call and dropped after it, so
 * no class loader is kept alive); calls are independent and thread safe.
 */
public final class CodeFingerprint {
    private CodeFingerprint() {
    }

    /**
     * The fingerprint and what went into it.
     *
     * @param hash lower-case hex SHA-256
     * @param methods the methods hashed, in the order they were reached (the entry first), each as
     *     "pkg.Class.method(desc)ret", some with a note in parentheses: "(bytes unavailable)",
     *     "(no code: signature only)", "(library code: not followed)", "(not declared in its class
     *     file)"; and lines about captured lambdas whose code could not be read
     */
    public record Result(String hash, List<String> methods) {
    }

    /**
     * @param stepBody a serializable lambda or method reference, or an instance of an ordinary class
     *     (its every declared method is an entry)
     * @return hex SHA-256 of the code the step body runs
     * @throws RewindException when the step body is a non-serializable lambda, when its lambda
     *     cannot be opened for reflection, or when a class file that exists cannot be read
     */
    public static String of(Object stepBody) {
        return explain(stepBody).hash();
    }

    /**
     * @return the methods that went into {@link #of(Object)}, for reports such as {@code rewind steps}
     * @throws RewindException as {@link #of(Object)}
     */
    public static List<String> methods(Object stepBody) {
        return explain(stepBody).methods();
    }

    /**
     * Computes the fingerprint and the list of methods in one walk.
     *
     * @throws RewindException as {@link #of(Object)}
     */
    public static Result explain(Object stepBody) {
        Objects.requireNonNull(stepBody, "stepBody");
        CodeWalker walker = new CodeWalker();
        StepBodies.enter(stepBody, walker);
        return walker.finish();
    }

    /**
     * @param owner the class the method is looked up in (then its supertypes, like a virtual call)
     * @param name the method's name, "&lt;init&gt;" for a constructor
     * @param descriptor the JVM method descriptor, e.g. "(Ljava/lang/String;)I"
     * @return hex SHA-256 of the code the method runs. For a library owner it covers the reference only.
     * @throws IllegalArgumentException when the owner is application code and neither it nor a
     *     supertype declares the method
     * @throws RewindException when a class file that exists cannot be read
     */
    public static String ofMethod(Class<?> owner, String name, String descriptor) {
        return explainMethod(owner, name, descriptor).hash();
    }

    /**
     * {@link #ofMethod} with the list of methods that went into it.
     *
     * @throws IllegalArgumentException as {@link #ofMethod}
     */
    public static Result explainMethod(Class<?> owner, String name, String descriptor) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(descriptor, "descriptor");
        CodeWalker walker = new CodeWalker();
        Hierarchy.Resolution r = walker.methodEntry(owner.getClassLoader(), ClassIndex.internalName(owner), name, descriptor);
        if (r.outcome() == Hierarchy.Outcome.NOT_FOUND) {
            throw new IllegalArgumentException(owner.getName() + " and its supertypes declare no method " + name + descriptor);
        }
        return walker.finish();
    }
}
