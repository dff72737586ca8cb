package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store's bounds, applied after each publication: {@code keep} checkpoints per run, then the
 * store-wide {@code quota}, which evicts the oldest checkpoints of any run first but never the
 * newest usable checkpoint of a run. Eviction removes manifests; the chunks they alone used are
 * then collected (when no other process is writing; else at a later publication or `rewind gc`).
 */
public final class Retention {
    private Retention() {
    }

    /**
     * Applies the bounds after {@code run} published a checkpoint.
     *
     * @return what it did, for the user (empty when nothing)
     */
    public static List<String> apply(Store store, Run run) {
        List<String> notes = new ArrayList<>();
        StoreOptions o = store.options();
        try {
            boolean removed = false;
            int keep = run.keep(o);
            if (keep > 0) {
                List<CheckpointEntry> all = run.checkpoints();
                for (int i = 0; i < all.size() - keep; i++) {
                    run.remove(all.get(i));
                    removed = true;
                }
            }
            if (o.quota() > 0) {
                removed |= enforceQuota(store, o.quota(), notes);
            }
            if (removed) {
                GarbageCollector.collect(store, false);
            }
        } catch (IOException e) {
            notes.add("could not apply the store's bounds: " + e);
        }
        return notes;
    }

    private static boolean enforceQuota(Store store, long quota, List<String> notes) throws IOException {
        Map<ChunkId, Integer> users = new HashMap<>();
        Map<ChunkId, Integer> sizes = new HashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Run r : store.runs()) {
            List<Candidate> ofRun = new ArrayList<>();
            for (CheckpointEntry e : r.checkpoints()) {
                CheckpointManifest m;
                try {
                    m = r.manifest(e);
                } catch (RewindException unusable) {
                    continue;
                }
                Set<ChunkId> distinct = new HashSet<>();
                for (ChunkRef c : m.chunks()) {
                    if (distinct.add(c.id())) {
                        users.merge(c.id(), 1, Integer::sum);
                        sizes.put(c.id(), c.fileLength());
                    }
                }
                ofRun.add(new Candidate(r, e, m));
            }
            // the newest usable checkpoint of each run stays, whatever the quota
            for (int i = ofRun.size() - 1; i >= 0; i--) {
                try {
                    r.checkPresent(ofRun.get(i).manifest);
                    ofRun.remove(i);
                    break;
                } catch (RewindException missing) {
                    // not usable: look further back
                }
            }
            candidates.addAll(ofRun);
        }
        long used = 0;
        for (int size : sizes.values()) {
            used += size;
        }
        if (used <= quota) {
            return false;
        }
        candidates.sort(Comparator.comparingLong(c -> c.manifest.timeMillis()));
        int evicted = 0;
        long freed = 0;
        for (Candidate c : candidates) {
            if (used - freed <= quota) {
                break;
            }
            c.run.remove(c.entry);
            evicted++;
            Set<ChunkId> once = new HashSet<>();
            for (ChunkRef ref : c.manifest.chunks()) {
                if (once.add(ref.id()) && users.merge(ref.id(), -1, Integer::sum) == 0) {
                    freed += ref.fileLength();
                }
            }
        }
        if (evicted > 0) {
            notes.add("store quota " + StoreOptions.human(quota) + ": evicted " + evicted + " old checkpoint(s), freeing "
                + StoreOptions.human(freed));
        }
        if (used - freed > quota) {
            notes.add("store " + store.root() + " holds " + StoreOptions.human(used - freed) + ", over its quota of "
                + StoreOptions.human(quota) + ", with only the newest checkpoint of each run left; remove runs with "
                + "`rewind rm` or raise the quota");
        }
        return evicted > 0;
    }

    private static final class Candidate {
        final Run run;
        final CheckpointEntry entry;
        final CheckpointManifest manifest;

        Candidate(Run run, CheckpointEntry entry, CheckpointManifest manifest) {
            this.run = run;
            this.entry = entry;
            this.manifest = manifest;
        }
    }
}
