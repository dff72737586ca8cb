package dev.rewind.internal.store;

import java.util.List;

/**
 * A checkpoint that became visible.
 *
 * @param run its run
 * @param manifest its manifest
 * @param notes what the store's bounds did afterwards (evictions, quota warnings), for the user
 */
public record Published(Run run, CheckpointManifest manifest, List<String> notes) {
}
