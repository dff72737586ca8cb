package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;

/**
 * How much the store holds and how well it deduplicates.
 *
 * @param checkpoints readable checkpoints in all runs
 * @param stateBytes the sum of their states' raw sizes
 * @param chunkBytes bytes of chunk files on disk
 */
public record StoreUsage(int checkpoints, long stateBytes, long chunkBytes) {
    /** @return raw state bytes per stored byte (compression and sharing together); 0 when empty */
    public double dedupRatio() {
        return chunkBytes == 0 ? 0 : (double) stateBytes / chunkBytes;
    }

    /** @return the usage of {@code store}, reading every manifest (signature not required) */
    public static StoreUsage of(Store store) {
        int n = 0;
        long state = 0;
        for (Run r : store.runs()) {
            for (CheckpointEntry e : r.checkpoints()) {
                try {
                    state += CheckpointManifest.read(e.file(), store.key(), true).rawSize();
                    n++;
                } catch (RewindException damaged) {
                    // shown as unusable by ls
                }
            }
        }
        long[] chunks = new long[1];
        try {
            store.chunks().forEach((file, size) -> {
                if (!file.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX)) {
                    chunks[0] += size;
                }
            });
        } catch (IOException e) {
            throw new RewindException("cannot list the chunks of store " + store.root() + ": " + e, e);
        }
        return new StoreUsage(n, state, chunks[0]);
    }
}
