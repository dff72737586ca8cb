package dev.rewind.internal.serial;

import java.io.IOException;

/**
 * A stream that wants to know where a large primitive array's bytes begin and end: the store cuts
 * them into pieces counted from the array's start, so that changing a few elements changes only
 * the pieces that hold them, and no content scan is needed. It also takes the array's data
 * straight from the array, and may already hold a piece from an earlier checkpoint, in which case
 * the piece is neither copied nor sent.
 *
 * <p>Between {@link #beginArray} and {@link #endBulk()} the writer sends each piece of the array
 * as: {@link #reusePiece}; unless that returned a length, the piece's frames (a frame header
 * through {@code write}, then its data through {@link #writeArray}), then {@link #endPiece()}.
 * A piece's bytes are a function of the piece's data, its length and the element size alone.
 */
public interface BulkSink {
    /** Bytes of array data in every piece but an array's last: 64 frames of {@link OutBuffer#SIZE}. */
    long PIECE_DATA = 64L * OutBuffer.SIZE;

    /** The bytes written from now on, until {@link #endBulk()}, are one large array's. */
    void beginBulk();

    /**
     * Like {@link #beginBulk()}, for an array whose pieces follow through {@link #reusePiece}: the sink
     * may look at all of them now (to fingerprint them side by side, say).
     */
    default void beginArray(Object array, long offset, long bytes, int elemSize) throws IOException {
        beginBulk();
    }

    /** Ends what {@link #beginBulk()} or {@link #beginArray} started. */
    void endBulk();

    /**
     * Offers the sink the next piece: {@code dataBytes} bytes of {@code array} from the Unsafe
     * offset {@code offset}, of elements {@code elemSize} bytes long.
     *
     * @return the number of stream bytes the piece stands for when the sink already has it (the
     *     writer then sends nothing for it), else -1
     */
    long reusePiece(Object array, long offset, long dataBytes, int elemSize) throws IOException;

    /**
     * Appends {@code n} bytes of a primitive array from the Unsafe offset {@code offset}, as
     * little-endian elements: exactly what {@code write} would get from a copy, without the copy.
     */
    void writeArray(Object array, long offset, int n, int elemSize) throws IOException;

    /** Ends a piece that {@link #reusePiece} did not take. */
    void endPiece() throws IOException;
}
