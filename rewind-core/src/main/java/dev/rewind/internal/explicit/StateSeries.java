package dev.rewind.internal.explicit;

import dev.rewind.CheckpointRefusedException;
import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.UntrustedCheckpointException;
import dev.rewind.internal.serial.Evolution;
import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.serial.GraphWriter;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.CheckpointWriter;
import dev.rewind.internal.store.Published;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The saved versions of one named state object in the store: the run {@code state-NAME}, whose
 * checkpoints each hold one version (the object graph written by {@link GraphWriter}, and a
 * {@link StateMeta}). Opening it takes the run's writer lock, so one process at a time owns a state.
 * A version becomes visible only once all of it is durable, so a crash while saving leaves the
 * previous version as the newest.
 */
public final class StateSeries implements AutoCloseable {
    /** Folders of the series open in this JVM: the writer lock is per process, so this guards within one. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Run run;
    private boolean closed;

    private StateSeries(String name, Run run) {
        this.name = name;
        this.run = run;
    }

    /**
     * Opens (or creates) the series and takes its writer lock.
     *
     * @param keep versions kept, the newest; 0 for all
     *
     * @throws UntrustedCheckpointException when the series was written with another user's key and
     *     the store does not trust it
     * @throws RewindException when another process has the state open, or the store cannot be written
     */
    public static StateSeries open(Store store, String name, int keep) {
        Run run;
        try {
            run = store.namedRun("state", name, RunInfo.now("state", name, List.of(), Path.of(""), ""));
        } catch (UntrustedCheckpointException e) {
            throw new UntrustedCheckpointException("state '" + name + "' in store " + store.root() + " was saved by "
                + "another user or on another machine (it is not signed with your key). Open it with trust(true) if "
                + "you trust where it came from. (" + e.getMessage() + ")");
        }
        run.keep(keep);
        if (!OPEN.add(run.dir())) {
            throw new RewindException("state '" + name + "' in store " + store.root() + " is open already in this JVM: "
                + "close the other StateCheckpoint of that name first, or share it.");
        }
        try {
            run.lockForWriting();
        } catch (RewindException e) {
            throw new RewindException("state '" + name + "' in store " + store.root() + " is open in another process, "
                + "and only one process at a time may own a saved state: stop the other one, or give this one another "
                + "name. (" + e.getMessage() + ")", e);
        } finally {
            if (!run.holdsLock()) {
                OPEN.remove(run.dir());
            }
        }
        return new StateSeries(name, run);
    }

    /** @return the run that holds the versions, {@code state-NAME} */
    public Run run() {
        return run;
    }

    /**
     * A version read back.
     *
     * @param state the state object
     * @param version its number in the series
     * @param evolution what lenient reading dropped or defaulted (empty when nothing)
     */
    public record Loaded(Object state, int version, List<String> evolution) {
    }

    /**
     * Reads the newest usable version: a damaged version (bad manifest, missing or corrupt chunk)
     * is skipped with a note on {@code notes}, and the next older one is tried.
     *
     * @param type the state's class; the saved version must hold an instance of it
     * @param strict fail on any change of an application class since the save, instead of loading
     *     what still matches
     * @return the version, or empty when nothing was saved yet
     * @throws UntrustedCheckpointException when the newest intact version is not signed with the
     *     user's key and the store does not trust it
     * @throws CorruptCheckpointException when versions exist but all are damaged, or the newest
     *     intact one cannot be read into the classes of this program
     * @throws RewindException when the newest intact one holds another class
     */
    public Optional<Loaded> loadNewest(Class<?> type, boolean strict, PrintStream notes) {
        List<CheckpointEntry> entries = run.checkpoints();
        List<String> damaged = new ArrayList<>();
        for (int k = entries.size() - 1; k >= 0; k--) {
            CheckpointEntry entry = entries.get(k);
            Loaded loaded;
            try {
                loaded = load(entry, type, strict);
            } catch (Damaged d) {
                damaged.add("version " + entry.sequence() + " is damaged (" + d.getMessage() + ")");
                continue;
            }
            for (String d : damaged) {
                notes.println("[rewind] state '" + name + "': " + d + "; using version " + loaded.version());
            }
            return Optional.of(loaded);
        }
        if (!damaged.isEmpty()) {
            throw new CorruptCheckpointException("state '" + name + "' cannot be loaded: every saved version is damaged: "
                + String.join("; ", damaged) + ". Move " + run.dir() + " away to start afresh (or delete it with "
                + "`rewind rm " + run.id() + "`).");
        }
        return Optional.empty();
    }

    private Loaded load(CheckpointEntry entry, Class<?> type, boolean strict) throws Damaged {
        String what = "state '" + name + "' version " + entry.sequence();
        CheckpointManifest m;
        StateMeta meta;
        try {
            m = run.manifest(entry);
            meta = StateMeta.decode(m.meta(), what);
        } catch (UntrustedCheckpointException e) {
            throw new UntrustedCheckpointException(what + " (" + entry.file() + ") is not signed with your key: it was "
                + "saved by another user or on another machine, or changed by hand. Open the state with trust(true) "
                + "if you trust where it came from.");
        } catch (CorruptCheckpointException e) {
            throw new Damaged(e.getMessage());
        }
        if (!meta.format().equals(StateMeta.FORMAT)) {
            throw new CorruptCheckpointException(what + " has the format " + meta.format() + ", and this Rewind reads "
                + StateMeta.FORMAT + ": load it with the Rewind version that saved it.");
        }
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader()
            : Thread.currentThread().getContextClassLoader();
        if (!meta.className().equals(type.getName()) && !isSubclass(meta.className(), type, loader)) {
            throw new RewindException(what + " holds a " + meta.className() + ", not a " + type.getName()
                + ": two programs use the name '" + name + "'. Give one of them another name, or delete the saved "
                + "state with `rewind rm " + run.id() + "`.");
        }
        Evolution evolution = strict ? Evolution.strictReporting() : Evolution.lenient();
        WatchedStream in = new WatchedStream(run.open(m));
        Object[] roots;
        try {
            roots = new GraphReader(in, n -> Class.forName(n, false, loader), evolution).read();
        } catch (CorruptCheckpointException e) {
            if (in.failure != null) {
                throw new Damaged(in.failure.getMessage());
            }
            throw new CorruptCheckpointException(what + " cannot be read into the classes of this program: "
                + e.getMessage() + (strict ? ". Open it with strict(false) to load what still matches, or" : ". You can")
                + " delete the saved state with `rewind rm " + run.id() + "` to start afresh.", e);
        } catch (IOException e) {
            throw new Damaged(e.toString());
        }
        if (roots.length != 1 || !type.isInstance(roots[0])) {
            throw new Damaged("it does not hold one " + type.getName());
        }
        return new Loaded(roots[0], entry.sequence(), evolution.report());
    }

    private static boolean isSubclass(String className, Class<?> type, ClassLoader loader) {
        try {
            return type.isAssignableFrom(Class.forName(className, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * A version being saved: serialized already (the caller's objects may change from now on),
     * written in the background.
     *
     * @param version its number in the series
     * @param written completes when it is durable, exceptionally when it could not be written (the
     *     previous version stays the newest)
     */
    public record Pending(int version, CompletableFuture<Published> written) {
    }

    /**
     * Serializes {@code state} now and hands it to the store's background writer. The caller must
     * keep the state from changing during this call (it holds the state's lock).
     *
     * @throws CheckpointRefusedException naming the path to what cannot be saved; nothing is written
     * @throws RewindException when the store cannot be written
     */
    public Pending save(Object state) {
        CheckpointWriter w = run.begin("save");
        try {
            new GraphWriter(w).write(new Object[] {state}, new String[] {"state " + name});
        } catch (IOException e) {
            w.abort();
            throw new RewindException("cannot save state '" + name + "': " + e, e);
        } catch (RuntimeException | Error e) {
            w.abort();
            throw e;
        }
        return new Pending(w.sequence(), w.publish(StateMeta.now(state.getClass()).encode()));
    }

    /** Releases the writer lock (call after every pending save has completed). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            run.close();
            OPEN.remove(run.dir());
        }
    }

    /** A version that cannot be used because its files are damaged: the next older one is tried. */
    private static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message, null, false, false);
        }
    }

    /** Remembers the store's own failure (a bad chunk), to tell damage from a class that changed. */
    private static final class WatchedStream extends FilterInputStream {
        RuntimeException failure;

        WatchedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }
}
