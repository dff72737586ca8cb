package dev.rewind.internal.store;

import java.nio.file.Path;

/** Store access for tests outside this package: a store signed with a key of the test's choosing. */
public final class TestStores {
    private TestStores() {
    }

    /** @return a store in {@code root} whose manifests are signed with {@code key} (32 bytes), not shared */
    public static Store withKey(Path root, byte[] key) {
        return Store.openWithKey(root, StoreKey.of(key), StoreOptions.defaults());
    }
}
