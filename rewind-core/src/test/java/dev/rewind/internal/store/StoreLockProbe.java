package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The second process of {@code StoreTest}'s lock tests, started with the test class path:
 *
 * <pre>
 * StoreLockProbe STORE KEYHEX RUN try    reads every checkpoint (prints "READ n sha256-of-each"), then calls
 *                                        begin(): prints "REFUSED message" or "ACQUIRED"
 * StoreLockProbe STORE KEYHEX RUN hold   calls begin(), prints "HELD", and keeps the lock until its
 *                                        standard input ends (or it is killed)
 * </pre>
 */
public final class StoreLockProbe {
    private StoreLockProbe() {
    }

    public static void main(String[] args) throws Exception {
        Store store = Store.openWithKey(Path.of(args[0]), StoreKey.of(HexFormat.of().parseHex(args[1])),
            StoreOptions.defaults());
        Run run = store.run(args[2]);
        if (args[3].equals("try")) {
            StringBuilder read = new StringBuilder("READ");
            List<CheckpointEntry> entries = run.checkpoints();
            read.append(' ').append(entries.size());
            for (CheckpointEntry e : entries) {
                CheckpointManifest m = run.manifest(e);
                run.verify(m);
                read.append(' ').append(StoreTesting.sha256(StoreTesting.readAll(run, m)));
            }
            System.out.println(read);
            try {
                CheckpointWriter w = run.begin("probe");
                w.abort();
                System.out.println("ACQUIRED");
            } catch (RewindException e) {
                System.out.println("REFUSED " + e.getMessage());
            }
        } else {
            CheckpointWriter w = run.begin("probe");
            w.abort();
            System.out.println("HELD");
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // hold the run's lock until the test closes our input or kills us
                }
            }
        }
        System.out.flush();
    }
}
