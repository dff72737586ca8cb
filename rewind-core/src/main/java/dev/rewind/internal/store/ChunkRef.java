package dev.rewind.internal.store;

/**
 * One chunk of a checkpoint's data, in stream order.
 *
 * @param id the SHA-256 of its raw bytes, which names its file
 * @param rawLength its length before compression
 * @param fileLength the length of its file in the store
 */
public record ChunkRef(ChunkId id, int rawLength, int fileLength) {
}
