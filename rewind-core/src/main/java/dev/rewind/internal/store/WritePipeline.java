package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's background writer. Chunk workers (one per core, at most two, plus four while chunk
 * files are written with direct I/O, when a worker waits for the disk) hash, compress and write
 * chunks to temporary files; forcer threads force each file and rename it into place, so that the
 * workers never wait for the disk and several forces can share one journal commit; one publisher
 * thread publishes checkpoints strictly in the order they are handed over ({@link Flight#publish}),
 * each once all its chunks are durable. With one writer at a time per run
 * (the engine's case) that is the order they were started; writers open at once are published in
 * the order their {@code publish} is called, and a manifest's parent is then the newest older
 * checkpoint published before it. Memory is bounded: handing over a chunk takes permits for its
 * buffer and blocks while the bound is reached, and a worker gives them back when the chunk is
 * written.
 */
final class WritePipeline {
    /** Permit granularity of the memory bound. */
    private static final int UNIT = 64 << 10;
    private static final int POOLED = 8;
    /** Forcer threads: they only wait for the disk, so more than the cores. */
    private static final int FORCERS = 4;
    /** Chunk files written but not yet forced, at most: bounds the dirty data the publisher may wait for. */
    private static final int UNFORCED = 32;

    private final Store store;
    private final ExecutorService workers;
    private final ExecutorService forcers;
    private final ExecutorService hasher;
    private final ExecutorService publisher;
    private final Semaphore memory;
    private final Semaphore unforced = new Semaphore(UNFORCED);
    private final ConcurrentLinkedQueue<byte[]> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    WritePipeline(Store store) {
        this.store = store;
        // with direct I/O a worker waits for the disk while it writes: four more keep the cores hashing
        // (2 GiB on 2 cores: 2.0-2.3 s with two more, 1.8-2.1 s with four)
        int n = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()))
            + (DirectStaging.ENABLED ? 4 : 0);
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(n, r -> daemon(r, "rewind-chunk-writer-" + count.incrementAndGet()));
        AtomicInteger forcer = new AtomicInteger();
        this.forcers = Executors.newFixedThreadPool(FORCERS,
            r -> daemon(r, "rewind-chunk-forcer-" + forcer.incrementAndGet()));
        this.publisher = Executors.newSingleThreadExecutor(r -> daemon(r, "rewind-publisher"));
        this.hasher = Executors.newSingleThreadExecutor(r -> daemon(r, "rewind-piece-hasher"));
        long bound = Math.max(store.options().writeBuffer(), 2L * CheckpointWriter.MAX_CHUNK);
        this.memory = new Semaphore((int) Math.min(Integer.MAX_VALUE, bound / UNIT));
    }

    /** @return a daemon thread: the store's threads never keep a JVM alive (a clean exit waits for writes itself) */
    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return the thread that fingerprints array pieces beside the program's own (see {@link PieceKeys}) */
    ExecutorService hasher() {
        return hasher;
    }

    /** @return a buffer of at least {@code size} bytes, pooled if one is free */
    byte[] buffer(int size) {
        byte[] b = pool.poll();
        if (b != null) {
            pooled.decrementAndGet();
            return b;
        }
        return new byte[size];
    }

    /** @return a buffer of at least {@code need} bytes holding the first {@code used} bytes of {@code b} */
    byte[] grow(byte[] b, int used, int need) {
        int size = Math.max(need, Math.min(CheckpointWriter.MAX_CHUNK, b.length * 2));
        return Arrays.copyOf(b, Math.max(size, need));
    }

    private void recycle(byte[] b) {
        // keep a few full-size buffers for the next checkpoint; let the rest go to the GC
        if (b.length >= CheckpointWriter.BULK_PIECE && pooled.incrementAndGet() <= POOLED) {
            pool.offer(b);
        } else if (b.length >= CheckpointWriter.BULK_PIECE) {
            pooled.decrementAndGet();
        }
    }

    /** Starts a checkpoint: holds off the collector until it is published or dropped. */
    Flight begin(Run run, int sequence, String label) {
        try {
            store.collectorLock().beginWrite();
        } catch (IOException e) {
            throw new RewindException("cannot write to store " + store.root() + ": " + e
                + ". Check that it is writable, or choose another with --store.", e);
        }
        return new Flight(run, sequence, label);
    }

    /** Waits until every checkpoint handed over before this call is published or has failed. */
    void drain() {
        try {
            publisher.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One checkpoint between {@link #begin} and its publication. */
    final class Flight {
        private final Run run;
        private final int sequence;
        private final String label;
        private byte[] meta;
        private final List<Future<Written>> chunks = new ArrayList<>();
        /** Chunks of this checkpoint already handed over: a repeated one is written once. */
        private final Set<ChunkId> seen = ConcurrentHashMap.newKeySet();

        Flight(Run run, int sequence, String label) {
            this.run = run;
            this.sequence = sequence;
            this.label = label;
        }

        WritePipeline pipeline() {
            return WritePipeline.this;
        }

        /**
         * Looks a piece up in this JVM's piece cache, and checks that its chunk is still in the store at its full length.
         *
         * @return the chunk, or null when the piece has to be written
         */
        ChunkRef known(PieceKey key) {
            PieceCache cache = store.pieces();
            ChunkRef ref = cache.get(key);
            if (ref == null) {
                return null;
            }
            if (!store.chunks().present(ref)) {
                cache.remove(key);
                return null;
            }
            return ref;
        }

        /** Adds a chunk found by {@link #known} in its place in the checkpoint. */
        void reuse(PieceKey key, ChunkRef ref) {
            chunks.add(CompletableFuture.completedFuture(new Written(ref, null, key)));
        }

        /**
         * Hands over {@code buf[0, len)}; the buffer now belongs to the pipeline. Blocks while memory is full.
         *
         * @param key the piece's key when the data is one whole piece of a large array, else null
         */
        void submit(byte[] buf, int len, PieceKey key) {
            int units = (buf.length + UNIT - 1) / UNIT;
            memory.acquireUninterruptibly(units);
            try {
                chunks.add(workers.submit(() -> {
                    try {
                        ChunkId id = ChunkId.of(buf, 0, len);
                        if (!seen.add(id)) {
                            // a repeat within this checkpoint (zero-filled pieces, say): its twin writes the file
                            int fileLength = ChunkCodec.encode(buf, 0, len, id).fileLength();
                            return new Written(new ChunkRef(id, len, fileLength), null, key);
                        }
                        int existing = store.chunks().existing(id, len);
                        if (existing > 0) {
                            return new Written(new ChunkRef(id, len, existing), null, key);
                        }
                        ChunkCodec.Encoded e = ChunkCodec.encode(buf, 0, len, id);
                        return new Written(new ChunkRef(id, len, e.fileLength()), write(e), key);
                    } finally {
                        memory.release(units);
                        recycle(buf);
                    }
                }));
            } catch (RuntimeException e) {
                memory.release(units);
                throw e;
            }
        }

        CompletableFuture<Published> publish(byte[] meta) {
            this.meta = meta;
            CompletableFuture<Published> result = new CompletableFuture<>();
            publisher.execute(() -> {
                CheckpointManifest m;
                try {
                    m = publishNow();
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                    return;
                }
                List<String> notes;
                try {
                    notes = Retention.apply(store, run);
                } catch (RuntimeException | Error t) {
                    // the checkpoint is published: say so, whatever the bounds did
                    notes = List.of("could not apply the store's bounds: " + t);
                }
                result.complete(new Published(run, m, notes));
            });
            return result;
        }

        private CheckpointManifest publishNow() {
            try {
                List<ChunkRef> refs = new ArrayList<>(chunks.size());
                Set<Path> folders = new TreeSet<>();
                long added = 0;
                for (Future<Written> f : chunks) {
                    Written w = f.get();
                    refs.add(w.ref);
                    if (w.durable != null) {
                        w.durable.get();
                        added += w.ref.fileLength();
                        folders.add(store.chunks().folder(w.ref.id()));
                    }
                }
                ChunkStore.forceFolders(folders);
                CheckpointManifest m = new CheckpointManifest(run.id(), sequence, label, System.currentTimeMillis(),
                    run.parentOf(sequence), meta, List.copyOf(refs), added);
                SignedFile.write(run.manifestPath(sequence, label), CheckpointManifest.MAGIC, m.encode(), store.key());
                run.published(sequence);
                remember();
                return m;
            } catch (ExecutionException e) {
                throw failed(e.getCause());
            } catch (IOException e) {
                throw failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed(e);
            } finally {
                waitForAll();
                store.collectorLock().endWrite();
            }
        }

        /** Enters this checkpoint's pieces into the piece cache, now that a published checkpoint holds their chunks. */
        private void remember() throws ExecutionException, InterruptedException {
            PieceCache cache = store.pieces();
            for (Future<Written> f : chunks) {
                Written w = f.get();
                if (w.key != null) {
                    cache.put(w.key, w.ref);
                }
            }
        }

        private RewindException failed(Throwable cause) {
            if (cause instanceof RewindException && cause.getMessage().startsWith("checkpoint ")) {
                return (RewindException) cause;
            }
            return new RewindException("checkpoint " + String.format("%04d", sequence) + " '" + label + "' of run "
                + run.id() + " could not be written to " + store.root() + ": " + cause
                + ". Earlier checkpoints are intact. Check that the store has free space and is writable, or choose "
                + "another with --store.", cause);
        }

        /** Lets every chunk task end (they clean up their own temporary files) before the flight ends. */
        private void waitForAll() {
            for (Future<Written> f : chunks) {
                try {
                    Written w = f.get();
                    if (w.durable != null) {
                        w.durable.get();
                    }
                } catch (ExecutionException | RuntimeException ignored) {
                    // reported by publishNow
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void abort() {
            publisher.execute(() -> {
                waitForAll();
                store.collectorLock().endWrite();
            });
        }
    }

    /**
     * Writes a chunk's file unless the store has it, and has a forcer make it durable.
     *
     * @return completes once the file this wrote is durable under its name; null
     *     when there was nothing to write
     */
    private Future<?> write(ChunkCodec.Encoded e) throws IOException {
        unforced.acquireUninterruptibly();
        ChunkStore.Staged staged;
        try {
            staged = store.chunks().stage(e);
        } catch (IOException | RuntimeException | Error t) {
            unforced.release();
            throw t;
        }
        if (staged == null) {
            unforced.release();
            return null;
        }
        try {
            return forcers.submit(() -> {
                try {
                    staged.commit();
                    return null;
                } finally {
                    unforced.release();
                }
            });
        } catch (RuntimeException t) {
            unforced.release();
            staged.discard();
            throw t;
        }
    }

    /** A chunk as the worker left it. */
    private static final class Written {
        final ChunkRef ref;
        /** Completes once the chunk's file, written by this checkpoint, is durable; null when it wrote none. */
        final Future<?> durable;
        /** The piece the chunk holds, when it holds one whole piece of a large array; else null. */
        final PieceKey key;

        Written(ChunkRef ref, Future<?> durable, PieceKey key) {
            this.ref = ref;
            this.durable = durable;
            this.key = key;
        }
    }
}
