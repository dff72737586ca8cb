package dev.rewind.internal.serial;

/**
 * Constants of the object-graph stream.
 *
 * <pre>
 * header   : magic "RWGR" (4 bytes), version (2 bytes, little-endian), then frames:
 * frame    : varint length, then that many payload bytes; a zero length ends the graph
 * payload  : varint rootCount, rootCount × ref, then one content record per container object in
 *            the order their refs were written, then END and varint objectCount
 * ref      : varint 0 = null | 1 = new object: classRef, then inline data for value kinds
 *            (string, boxed, enum name, class name, primitive array) or the array length for
 *            object arrays | n &gt;= 2 = the object with id n - 2 (ids count new objects from 0)
 * classRef : varint index; the index one past the last defined class is followed by its definition:
 *            kind tag, then per kind: name, field list (name, type name, depth), lambda shape, ...
 * content  : PLAIN/LAMBDA: fields in layout order (primitives little-endian, references as refs);
 *            OBJECT_ARRAY: elements; HASH_MAP: subclass fields, settings, varint size, key/value refs;
 *            IMMUTABLE_SET/MAP: varint size, refs; REFERENCE: referent, queue, subclass fields
 * </pre>
 */
final class Format {
    static final byte[] MAGIC = {'R', 'W', 'G', 'R'};
    static final int VERSION = 1;
    static final int REF_NULL = 0;
    static final int REF_NEW = 1;
    static final int REF_FIRST_ID = 2;
    /** Marks the end of the content records. */
    static final int END = 0x7E;

    private Format() {
    }
}
