package dev.rewind;

import dev.rewind.internal.agent.JdkAccess;
import dev.rewind.internal.explicit.Saveable;
import dev.rewind.internal.explicit.SignalSaver;
import dev.rewind.internal.explicit.StateSeries;
import dev.rewind.internal.store.Store;
import dev.rewind.internal.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An explicit checkpoint: a state object that the program saves when it chooses, and gets back
 * when it starts again. No agent is needed; any JVM with Rewind's jar on the class path will do.
 *
 * <pre>{@code
 * try (StateCheckpoint<Sim> ck = StateCheckpoint.open("sim", Sim.class, Sim::new)) {
 *     Sim sim = ck.state();                       // the saved one, or a fresh one
 *     while (!sim.done()) {
 *         synchronized (ck.lock()) { sim.step(); }
 *         ck.save();                              // durable when it returns
 *     }
 * }
 * }</pre>
 *
 * <p>The state is saved with everything reachable from it, the way {@code rewind run} saves a
 * program: its class needs neither {@code Serializable} nor a no-arg constructor, transient fields
 * are skipped (they come back as 0, false or null), and a field that cannot be saved (a thread, a
 * stream, a socket) fails the save with a {@link CheckpointRefusedException} naming the path to it.
 * Versions live in Rewind's store (see {@link Builder#store(Path)}) as the run
 * {@code state-NAME}, visible to {@code rewind ls}; the newest {@link Builder#keep(int)} are kept.
 *
 * <p><b>Consistency.</b> A save copies the state while holding {@link #lock()} (the lock given to
 * {@link Builder#lock(Object)}, else this object). A save from another thread ({@link #saveEvery},
 * SIGTERM, Ctrl-C) sees a consistent state only when the program changes the state under that same
 * lock; a program that saves only from its own thread, between updates, needs no locking.
 *
 * <p><b>Signals</b> (unless {@link Builder#handleSignals(boolean) handleSignals(false)}): on SIGTERM
 * the state is saved and the JVM exits with 143. On Ctrl-C in an interactive terminal the program
 * pauses at its next update under the lock and the user is asked to save and continue, save and
 * stop, or stop without saving; without a terminal Ctrl-C stops the JVM without saving, as usual.
 *
 * @param <S> the state's class
 */
public final class StateCheckpoint<S> implements AutoCloseable {
    private final String name;
    private final S state;
    private final boolean resumed;
    private final List<String> evolution;
    private final Object lock;
    private final StateSeries series;
    private final Saveable signals;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /** Guards the timer and the closed flag; not the state's lock, which the user may hold for long. */
    private final Object control = new Object();
    private final Set<String> reported = new HashSet<>();
    private final AtomicInteger version = new AtomicInteger();
    private volatile boolean closed;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> periodic;
    private CompletableFuture<?> lastPeriodic;

    private StateCheckpoint(Builder<S> b, StateSeries series) {
        this.name = b.name;
        this.series = series;
        this.lock = b.lock != null ? b.lock : this;
        StateSeries.Loaded loaded = series.loadNewest(b.type, b.strict, System.err).orElse(null);
        if (loaded != null) {
            this.state = b.type.cast(loaded.state());
            this.resumed = true;
            this.version.set(loaded.version());
            this.evolution = loaded.evolution();
            for (String line : evolution) {
                System.err.println("[rewind] state '" + name + "': " + line);
            }
        } else {
            S fresh = b.fresh.get();
            if (fresh == null) {
                throw new IllegalStateException("the fresh() supplier of state '" + name + "' returned null");
            }
            this.state = b.type.cast(fresh);
            this.resumed = false;
            this.evolution = List.of();
        }
        this.signals = b.handleSignals ? new Saveable() {
            @Override
            public String describe() {
                return "state '" + name + "'";
            }

            @Override
            public int saveNow() {
                return save();
            }

            @Override
            public Object pauseLock() {
                return lock;
            }
        } : null;
    }

    /**
     * Opens the state {@code name} with the default options: the newest intact saved version if
     * there is one, else {@code fresh.get()}. Same as {@code builder(name, type).fresh(fresh).open()}.
     *
     * @param name names the state in the store; one process at a time may have it open
     * @param type the state's class
     * @param fresh makes the state when none was saved yet
     * @return the open checkpoint; close it when done
     * @throws CorruptCheckpointException when versions exist but none can be loaded (see
     *     {@link Builder#open()})
     * @throws RewindException when another process has the state open, or JDK access is missing
     */
    public static <S> StateCheckpoint<S> open(String name, Class<S> type, Supplier<? extends S> fresh) {
        return builder(name, type).fresh(fresh).open();
    }

    /**
     * @param name names the state in the store
     * @param type the state's class
     * @return a builder for the options; {@link Builder#fresh(Supplier)} is required
     */
    public static <S> Builder<S> builder(String name, Class<S> type) {
        return new Builder<>(name, type);
    }

    /** @return the state object: the loaded one when {@link #resumed()}, else the fresh one */
    public S state() {
        return state;
    }

    /** @return whether {@link #state()} was loaded from the store rather than made fresh */
    public boolean resumed() {
        return resumed;
    }

    /**
     * @return the number of the newest version saved by this process or loaded at open (0 when
     *     none); versions count up over the life of the state, across restarts
     */
    public int version() {
        return version.get();
    }

    /**
     * @return what was dropped or defaulted because the state's classes changed since the loaded
     *     version was saved, one line per class and field (printed to stderr at open); empty when
     *     nothing was, or nothing was loaded
     */
    public List<String> evolution() {
        return evolution;
    }

    /** @return the lock every save copies the state under; mutate the state under it too */
    public Object lock() {
        return lock;
    }

    /**
     * Saves the state now and waits until the new version is durable. The state is copied under
     * {@link #lock()} (the copy is the serialization into the store's memory buffers); the lock is
     * released before the wait. A crash at any moment leaves either the previous version or this
     * one as the newest, never a partial one.
     *
     * @return the new version's number
     * @throws CheckpointRefusedException when the state holds something that cannot be saved (the
     *     message names the path to it); nothing was written and the previous version stays
     * @throws RewindException when the store cannot be written (the previous version stays), or
     *     the wait was interrupted (the version may still become durable)
     * @throws IllegalStateException after {@link #close()}
     */
    public int save() {
        StateSeries.Pending p = startSave();
        try {
            p.written().get();
            version.accumulateAndGet(p.version(), Math::max);
            return p.version();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RewindException ? (RewindException) cause
                : new RewindException("state '" + name + "' could not be saved: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewindException("interrupted while saving state '" + name + "'", e);
        }
    }

    private StateSeries.Pending startSave() {
        if (closed) {
            throw new IllegalStateException("state '" + name + "' is closed");
        }
        StateSeries.Pending p;
        synchronized (lock) {
            p = series.save(state);
        }
        CompletableFuture<?> written = p.written();
        pending.add(written);
        written.whenComplete((r, e) -> {
            pending.remove(written);
            if (e == null) {
                version.accumulateAndGet(p.version(), Math::max);
            }
        });
        return p;
    }

    /**
     * Saves the state in the background every {@code period}, starting one period from now, on a
     * daemon thread; a later call replaces the period. Each save copies the state under
     * {@link #lock()}, then writes it while the program goes on; a tick is skipped while the
     * previous background save is still being written. A failed save is reported on stderr (once
     * per distinct error) and the previous version stays.
     *
     * @param period time between saves, positive
     * @return this
     * @throws IllegalArgumentException when the period is not positive
     * @throws IllegalStateException after {@link #close()}
     */
    public StateCheckpoint<S> saveEvery(Duration period) {
        long millis = period.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("saveEvery needs a positive period, not " + period);
        }
        synchronized (control) {
            if (closed) {
                throw new IllegalStateException("state '" + name + "' is closed");
            }
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rewind-save-" + name);
                    t.setDaemon(true);
                    return t;
                });
            }
            if (periodic != null) {
                periodic.cancel(false);
            }
            periodic = timer.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void tick() {
        if (lastPeriodic != null && !lastPeriodic.isDone()) {
            return;
        }
        try {
            CompletableFuture<?> written = startSave().written();
            lastPeriodic = written;
            written.whenComplete((r, e) -> {
                if (e != null) {
                    report(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
                }
            });
        } catch (IllegalStateException e) {
            // closed meanwhile
        } catch (RuntimeException | Error e) {
            report(e);
        }
    }

    private void report(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        synchronized (reported) {
            if (!reported.add(message)) {
                return;
            }
        }
        System.err.println("[rewind] state '" + name + "': a periodic save failed, the previous version stays: "
            + message);
    }

    /**
     * Stops the periodic saves and signal handling, waits for every save still being written, and
     * releases the state for other processes. It does not save: call {@link #save()} first to keep
     * the latest changes. Calling it again does nothing.
     */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (control) {
            if (closed) {
                return;
            }
            closed = true;
            t = timer;
        }
        try {
            if (t != null) {
                t.shutdown();
                t.awaitTermination(5, TimeUnit.MINUTES);
            }
            if (signals != null) {
                SignalSaver.unregister(signals);
            }
            for (CompletableFuture<?> f : List.copyOf(pending)) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // save() threw it to its caller, a periodic save reported it
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            series.close();
        }
    }

    private void registerSignals() {
        if (signals != null) {
            SignalSaver.register(signals);
        }
    }

    @Override
    public String toString() {
        return "state '" + name + "' (version " + version.get() + (resumed ? ", resumed" : "") + ")";
    }

    /**
     * Options of a {@link StateCheckpoint}; {@link #open()} opens it.
     *
     * @param <S> the state's class
     */
    public static final class Builder<S> {
        private final String name;
        private final Class<S> type;
        private Supplier<? extends S> fresh;
        private Path store;
        private int keep = 3;
        private boolean strict;
        private boolean trust;
        private Object lock;
        private boolean handleSignals = true;

        private Builder(String name, Class<S> type) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a state needs a name");
            }
            this.name = name;
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * @param fresh makes the state when none was saved yet (required)
         * @return this
         */
        public Builder<S> fresh(Supplier<? extends S> fresh) {
            this.fresh = Objects.requireNonNull(fresh, "fresh");
            return this;
        }

        /**
         * @param root the store's folder (default: {@code $REWIND_STORE}, else
         *     {@code ${XDG_CACHE_HOME:-~/.cache}/rewind}, the store {@code rewind run} uses)
         * @return this
         */
        public Builder<S> store(Path root) {
            this.store = Objects.requireNonNull(root, "root");
            return this;
        }

        /**
         * @param versions how many saved versions to keep, the newest (default 3; 0 keeps all);
         *     older ones let a damaged newest version fall back.
         * @return this
         */
        public Builder<S> keep(int versions) {
            if (versions < 0) {
                throw new IllegalArgumentException("keep needs 0 (all) or more versions, not " + versions);
            }
            this.keep = versions;
            return this;
        }

        /**
         * @param strict fail to open when a class of the saved state changed since the save (the
         *     message lists every difference of the first changed class), instead of loading what
         *     still matches and reporting what was dropped or defaulted (default false)
         * @return this
         */
        public Builder<S> strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * @param trust load a state saved by another user or on another machine (not signed with
         *     this user's key); loading instantiates the classes the file names, so trust only files
         *     whose origin you know (default false)
         * @return this
         */
        public Builder<S> trust(boolean trust) {
            this.trust = trust;
            return this;
        }

        /**
         * @param lock the lock under which the program changes the state, and under which saves copy
         *     it (default: the StateCheckpoint itself)
         * @return this
         */
        public Builder<S> lock(Object lock) {
            this.lock = Objects.requireNonNull(lock, "lock");
            return this;
        }

        /**
         * @param handle save on SIGTERM and offer to on Ctrl-C (default true); see the class comment
         * @return this
         */
        public Builder<S> handleSignals(boolean handle) {
            this.handleSignals = handle;
            return this;
        }

        /**
         * Opens the state: loads the newest saved version, falling back to the next older one when
         * it is damaged (with a note on stderr), or makes a fresh one when none was saved. Takes the
         * state for this process until {@link StateCheckpoint#close()} or exit.
         *
         * @return the open checkpoint
         * @throws IllegalStateException when {@link #fresh(Supplier)} was not given
         * @throws UntrustedCheckpointException when the newest intact version is not signed with
         *     the user's key and {@link #trust(boolean)} was not given
         * @throws CorruptCheckpointException when every saved version is damaged, or the newest
         *     intact one does not fit the classes of this program (in strict mode, any change)
         * @throws RewindException when another process (or another open StateCheckpoint in this
         *     JVM) has the state open, the saved state holds another class, the store cannot be
         *     used, or the JVM denies the JDK access the serializer needs (the message says which
         *     JVM options to add)
         */
        public StateCheckpoint<S> open() {
            if (fresh == null) {
                throw new IllegalStateException("state '" + name + "' needs fresh(...) to make it when none was saved");
            }
            JdkAccess.ensure();
            Store s = Store.open(store != null ? store : Store.defaultRoot(),
                new StoreOptions(0, 0, 0, trust, StoreOptions.DEFAULT_WRITE_BUFFER));
            StateSeries series = StateSeries.open(s, name, keep);
            try {
                StateCheckpoint<S> ck = new StateCheckpoint<>(this, series);
                ck.registerSignals();
                return ck;
            } catch (RuntimeException | Error e) {
                series.close();
                throw e;
            }
        }
    }
}
