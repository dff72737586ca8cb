package dev.rewind.internal.serial;

/**
 * A stream that wants to know where a large primitive array's bytes begin and end: the store cuts
 * them into fixed pieces counted from the array's start, so that changing a few elements changes
 * only the pieces that hold them, and no content scan is needed.
 */
public interface BulkSink {
    /** The bytes written from now on, until {@link #endBulk()}, are one large array's. */
    void beginBulk();

    /** Ends what {@link #beginBulk()} started. */
    void endBulk();
}
