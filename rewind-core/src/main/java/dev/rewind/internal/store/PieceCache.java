package dev.rewind.internal.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this JVM knows about the pieces of large arrays it has checkpointed into one store: the
 * {@link PieceKey} of a piece and the chunk it became. A piece whose key is here is not copied,
 * hashed or written again; it costs one read of the array and a look at the chunk's file, which
 * must still be whole (another process may have collected it, or it may have been found damaged).
 * Only chunks of published checkpoints are entered, so a piece is never reused from a checkpoint
 * that failed. Bounded, least recently used out first. Thread-safe.
 */
final class PieceCache {
    /** About 256 GiB of pieces, in a few megabytes of memory. */
    private static final int MAX_ENTRIES = 1 << 16;

    private final Map<PieceKey, ChunkRef> map = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PieceKey, ChunkRef> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    synchronized ChunkRef get(PieceKey key) {
        return map.get(key);
    }

    synchronized void put(PieceKey key, ChunkRef ref) {
        map.put(key, ref);
    }

    /** Forgets a piece whose chunk turned out to be gone or damaged. */
    synchronized void remove(PieceKey key) {
        map.remove(key);
    }
}
