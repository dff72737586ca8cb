package dev.rewind.internal.serial;

/**
 * How an object is represented in the stream. The tag is the byte that starts a class definition,
 * so the reader can check that the class it resolves is still of the kind the writer saw.
 */
enum Kind {
    /** Fields written one by one (JDK classes field-exact, application classes without transients). */
    PLAIN(1),
    /** Element class, length, then each element as a reference. */
    OBJECT_ARRAY(2),
    /** Element type, length, then the raw little-endian data in one bulk copy. */
    PRIMITIVE_ARRAY(3),
    /** Latin-1 or UTF-16 characters. */
    STRING(4),
    /** Integer, Long, ...: the value, read back through valueOf so JDK caches stay canonical. */
    BOXED(5),
    /** Declaring enum class and constant name. */
    ENUM(6),
    /** A Class object, by name. */
    CLASS(7),
    /** A well-known JDK instance (Collections.emptyList(), ...) by name, read back as the same instance. */
    SINGLETON(8),
    /** A serializable lambda: how to re-create its class, then its captured values as fields. */
    LAMBDA(9),
    /** HashMap and relatives: settings and entries, re-put after the whole graph is read. */
    HASH_MAP(10),
    /** Set.of(...) with more than two elements: its probe table depends on a per-JVM salt. */
    IMMUTABLE_SET(11),
    /** Map.of(...) with more than one entry, for the same reason. */
    IMMUTABLE_MAP(12),
    /** WeakReference or SoftReference: the referent is saved strongly. */
    REFERENCE(13),
    /** Never written: saving it would produce a checkpoint that cannot be resumed. */
    REFUSED(0);

    final int tag;

    Kind(int tag) {
        this.tag = tag;
    }

    private static final Kind[] BY_TAG = new Kind[14];

    static {
        for (Kind k : values()) {
            if (k != REFUSED) {
                BY_TAG[k.tag] = k;
            }
        }
    }

    /** @return the kind for a stream tag, or null if the tag is unknown */
    static Kind ofTag(int tag) {
        return tag > 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }
}
