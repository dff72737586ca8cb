package dev.rewind.internal.serial;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a {@link GraphReader} treats an application class whose fields differ from the ones the
 * checkpoint saved, and, when it adapts, the report of what it did.
 *
 * <p>{@link #strict()} is the default and the only right choice for resuming a call stack: the code
 * that continues expects exactly the fields it had, so any difference fails the read with a
 * {@link dev.rewind.CorruptCheckpointException} naming the first one. {@link #strictReporting()}
 * fails the same way but names every difference of that class.
 *
 * <p>{@link #lenient()} is for state that a later version of the program loads on purpose. For
 * application classes saved field by field (plain classes, and the own fields of subclasses of
 * HashMap and relatives, WeakReference and SoftReference) saved fields are matched to the class of
 * this JVM by name and depth in the class hierarchy, never by position:
 * <ul>
 *   <li>a saved field the class no longer has is read and dropped (an object it referred to is still
 *       read, so other references to it keep their identity);</li>
 *   <li>a field the saved state lacks is left at its default, 0, false or null: objects are allocated
 *       without running constructors or field initialisers;</li>
 *   <li>a primitive whose type changed is converted if the widening is exact for every value (byte,
 *       short and char to wider integers, float and double; int to long and double; float to double);
 *       any other primitive change leaves the default;</li>
 *   <li>a reference whose type changed keeps each saved value that is null or an instance of the new
 *       type; other values are dropped and the field is left at its default.</li>
 * </ul>
 * Each adaptation is {@linkplain #report() reported} once per declaring class and field. Everything
 * else still fails in both modes: a class that is gone or changed kind (for example no longer an
 * enum), a lambda whose captured values changed, an enum constant that no longer exists (null
 * would silently merge keys of hashed collections and break EnumMap and EnumSet, which hold the
 * constants of the saved enum), and any field declared by a JDK class, including JDK superclasses of
 * application classes: those only differ when another JDK wrote the checkpoint (or when an
 * application class no longer extends the JDK class), and their invariants are not ours to guess.
 *
 * <p>Pass a new instance to each reader: the report collects what every read given this instance
 * adapted. Not thread-safe.
 */
public final class Evolution {
    final boolean lenient;
    /** Strict: whether the failure names every difference of the changed class, not just the first. */
    final boolean listAll;
    /** Distinct notes in the order they first occurred. */
    private final Set<String> notes = new LinkedHashSet<>();

    private Evolution(boolean lenient, boolean listAll) {
        this.lenient = lenient;
        this.listAll = listAll;
    }

    /** @return the default: any changed class fails the read, naming its first difference */
    public static Evolution strict() {
        return new Evolution(false, false);
    }

    /** @return like {@link #strict()}, but the failure names every difference of the first changed class */
    public static Evolution strictReporting() {
        return new Evolution(false, true);
    }

    /** @return a mode that adapts changed application classes as described above and reports each adaptation */
    public static Evolution lenient() {
        return new Evolution(true, true);
    }

    /** @return whether changed application classes are adapted instead of failing the read */
    public boolean isLenient() {
        return lenient;
    }

    /**
     * What lenient reading adapted, one line per declaring class and field, in the order first met
     * while reading, for example {@code "demo.Counter.total (long): saved but no longer in the class,
     * dropped"}. Empty when nothing was adapted, and always in the strict modes.
     *
     * @return an immutable copy, complete once {@link GraphReader#read()} has returned (after a read
     *     that failed it holds what was adapted before the failure)
     */
    public List<String> report() {
        return List.copyOf(notes);
    }

    void note(String line) {
        notes.add(line);
    }
}
