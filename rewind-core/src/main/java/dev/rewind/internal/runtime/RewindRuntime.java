package dev.rewind.internal.runtime;

import dev.rewind.Checkpoint;
import dev.rewind.CheckpointTooLargeException;
import dev.rewind.RewindException;
import dev.rewind.Snapshot;
import dev.rewind.internal.agent.JdkAccess;
import dev.rewind.internal.capture.CapturedFrame;
import dev.rewind.internal.capture.EscapeBarrier;
import dev.rewind.internal.capture.FrameCapture;
import dev.rewind.internal.capture.LiveFrames;
import dev.rewind.internal.format.HeaderCodec;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.format.FrameRecord;
import dev.rewind.internal.restore.RestorePlan;
import dev.rewind.internal.restore.RestoreRuntime;
import dev.rewind.internal.restore.RestoreSession;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.serial.GraphWriter;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.CheckpointWriter;
import dev.rewind.internal.store.Published;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The implementation behind {@link dev.rewind.Rewind}, installed by the agent. */
public final class RewindRuntime {
    /** Exit code of a JVM halted by the REWIND_HALT_AFTER fault-injection hook. */
    public static final int HALT_EXIT_CODE = 86;
    /** Exit code of a program stopped because a checkpoint could not be written (--on-write-error=stop). */
    public static final int WRITE_FAILED_EXIT_CODE = 75;
    /**
     * Exit code of a resume stopped because the checkpoint's data was found damaged as it was read,
     * before any application code ran: {@code rewind resume} then names the damaged chunk and tries
     * the next older checkpoint.
     */
    public static final int DAMAGED_EXIT_CODE = 85;
    private static volatile RewindRuntime instance;
    /** The session this JVM resumed from, whose not yet initialised classes keep their saved statics. */
    private static volatile ResumeSession resumed;

    private final Instrumentation inst;
    /** Supplies the run checkpoints go to (a new run is created by it), or null when there is none. */
    private final Supplier<Run> run;
    /** What {@link #run} supplied, once it did. */
    private volatile Run created;
    private final String mainClass;
    private final int haltAfter;
    private final boolean sync;
    private final boolean stopOnWriteError;
    private int taken;

    private RewindRuntime(Instrumentation inst, Supplier<Run> run, String mainClass, int haltAfter, boolean sync,
            boolean stopOnWriteError) {
        this.inst = inst;
        this.run = run;
        this.mainClass = mainClass;
        this.haltAfter = haltAfter;
        this.sync = sync;
        this.stopOnWriteError = stopOnWriteError;
    }

    /**
     * Installs the runtime; called once by the agent.
     *
     * @param run the run checkpoints go to, asked for at the first checkpoint; supplies null when there is none
     * @param sync whether every checkpoint waits until it is on disk
     * @param stopOnWriteError whether the program stops when a checkpoint cannot be written
     */
    public static void install(Instrumentation inst, Supplier<Run> run, String mainClass, boolean sync,
            boolean stopOnWriteError) {
        String halt = System.getenv("REWIND_HALT_AFTER");
        instance = new RewindRuntime(inst, run, mainClass, halt == null || halt.isBlank() ? -1 : Integer.parseInt(halt),
            sync, stopOnWriteError);
    }

    /** @return true when the agent installed the runtime */
    public static boolean isInstalled() {
        return instance != null;
    }

    /** @return the runtime; throws a message that says how to start the program when it is missing */
    public static RewindRuntime get() {
        RewindRuntime r = instance;
        if (r == null) {
            throw new RewindException("Rewind's agent is not running in this JVM. Start the program with"
                + " `rewind run -- java ...`, or add -javaagent:/path/to/rewind-core.jar");
        }
        // started by the native agent, java.base is opened at the first call rather than before main
        JdkAccess.ensure();
        return r;
    }

    /**
     * Prepares a resume from a checkpoint file: plans the prologues and arms the session. Call
     * before the transformer is installed; then call {@link #retransformJdkFrames()}.
     */
    public static void prepareResume(Run run, CheckpointManifest manifest, Path file, CheckpointHeader header) {
        for (FrameRecord f : header.frames()) {
            RestorePlan.addSite(f.className(), f.methodName(), f.descriptor(), f.instruction());
        }
        RestorePlan.skipInitializers(header.initialized());
        ResumeSession session = new ResumeSession(Thread.currentThread(), run, manifest, file, header);
        resumed = session;
        RestoreRuntime.setStaticsHook(name -> {
            try {
                session.restoreStatics(name);
            } catch (RuntimeException | Error e) {
                System.out.flush();
                System.err.println("[rewind] error: " + e.getMessage());
                Runtime.getRuntime().halt(ResumeSession.haltCode(e));
            }
        });
        RestoreRuntime.begin(session);
    }

    /** Installs prologues into the JDK classes (already loaded) on the chain being resumed. */
    public static void retransformJdkFrames(CheckpointHeader header) {
        Set<String> jdkPackages = new java.util.HashSet<>();
        for (Module m : ModuleLayer.boot().modules()) {
            if (java.lang.module.ModuleFinder.ofSystem().find(m.getName()).isPresent()) {
                jdkPackages.addAll(m.getPackages());
            }
        }
        List<String> names = new ArrayList<>();
        for (FrameRecord f : header.frames()) {
            int dot = f.className().lastIndexOf('.');
            if (dot > 0 && jdkPackages.contains(f.className().substring(0, dot))) {
                names.add(f.className());
            }
        }
        if (names.isEmpty()) {
            return;
        }
        // the bridge first: loading a JDK class on the chain transforms it, and its prologue needs the bridge
        RestoreRuntime.prepareJdkClass(get().inst);
        Set<Class<?>> jdk = new LinkedHashSet<>();
        for (String name : names) {
            try {
                jdk.add(Class.forName(name, false, ClassLoader.getPlatformClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new RewindException("cannot resume: JDK class " + name + " is not in this JDK", e);
            }
        }
        try {
            get().inst.retransformClasses(jdk.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException e) {
            throw new RewindException("cannot install restore prologues into JDK classes " + jdk + ": " + e, e);
        }
    }

    /** @see dev.rewind.Rewind#checkpoint(String) */
    public Checkpoint checkpoint(String label) {
        RestoreSession s = RestoreRuntime.current();
        if (s != null && s.completeIfLeaf()) {
            return null; // the resumed call: its label argument may not have been rebuilt
        }
        if (label == null) {
            throw new NullPointerException("label");
        }
        Run run;
        try {
            run = run();
        } catch (RuntimeException e) {
            // like a checkpoint that cannot be written: reported, and the program goes on unless told to stop
            RewindException why = new RewindException("cannot save checkpoint '" + label + "': cannot create this"
                + " program's run: " + e.getMessage(), e);
            reportWrite(null, why);
            return new Checkpoint("", label, "", 0, null, Instant.now(), CompletableFuture.failedFuture(why));
        }
        if (run == null) {
            throw new RewindException("no run to save checkpoints into: start the program with `rewind run`");
        }
        System.out.flush();
        System.err.flush();
        EscapeBarrier.checkThread();
        EscapeBarrier.materialize();
        List<CapturedFrame> frames = FrameCapture.capture(LiveFrames.get().walk(), mainClass);
        StaticFields.Globals globals = StaticFields.capture(inst);
        List<StaticFields.Value> statics = globals.values();
        List<Object> roots = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<FrameRecord> records = new ArrayList<>();
        for (CapturedFrame f : frames) {
            String where = "frame " + f.where();
            for (int i = 0; i < f.values().length; i++) {
                roots.add(f.values()[i]);
                paths.add(where + " → " + (i < f.localCount() ? "local " : "") + f.names()[i]);
            }
            for (Object m : f.monitors()) {
                roots.add(m);
                paths.add(where + " → held lock");
            }
            for (int i = 0; i < f.callArguments().length; i++) {
                roots.add(f.callArguments()[i]);
                paths.add(where + " → argument " + i + " of the pending call");
            }
            records.add(new FrameRecord(f.className(), f.methodName(), f.descriptor(), f.instruction(), f.bci(),
                f.line(), f.callSignature(), f.localCount(), f.names(), f.monitors().length,
                f.callArguments().length, f.receiverStandIn() == null ? "" : f.receiverStandIn()));
        }
        List<String> staticNames = new ArrayList<>();
        for (StaticFields.Value v : statics) {
            roots.add(v.value());
            paths.add(v.path());
            staticNames.add(v.field().getDeclaringClass().getName() + "#" + v.field().getName());
        }
        List<String> initialized = new ArrayList<>();
        for (Class<?> c : globals.initialized()) {
            initialized.add(c.getName());
        }
        ResumeSession previous = resumed;
        if (previous != null) {
            // classes initialised before the checkpoint this JVM resumed from, and not touched since:
            // their state is still the saved statics, carried over to the new checkpoint unchanged
            previous.carryOver(initialized, staticNames, roots, paths);
        }
        CheckpointWriter out = run.begin(label);
        Instant now = Instant.now();
        CheckpointHeader header = new CheckpointHeader(Version.REWIND, Runtime.version().feature(),
            System.getProperty("java.version"), run.id(), out.sequence(), label, now.toEpochMilli(),
            mainClass != null ? mainClass : frames.get(0).className(), records,
            staticNames, initialized);
        try {
            new GraphWriter(out).write(roots.toArray(), paths.toArray(new String[0]));
        } catch (CheckpointTooLargeException e) {
            // over --max-size: this checkpoint is not saved, the program goes on (the writer dropped it)
            System.err.println("[rewind] error: " + e.getMessage());
            return new Checkpoint(String.format("%04d", out.sequence()), label, run.id(), out.size(),
                run.manifestPath(out.sequence(), label), now, CompletableFuture.failedFuture(e));
        } catch (IOException e) {
            out.abort();
            throw new RewindException("cannot save checkpoint '" + label + "': " + e, e);
        } catch (RuntimeException | Error e) {
            out.abort();
            throw e;
        }
        CompletableFuture<Published> written = out.publish(HeaderCodec.encode(header));
        written.whenComplete(this::reportWrite);
        taken++;
        Checkpoint handle = new Checkpoint(String.format("%04d", out.sequence()), label, run.id(), out.size(),
            run.manifestPath(out.sequence(), label), now, written);
        if (taken == haltAfter) {
            // the fault-injection hook stands for a kill right after the checkpoint is on disk
            try {
                handle.await();
            } finally {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(HALT_EXIT_CODE);
            }
        }
        if (sync) {
            handle.await();
        }
        return handle;
    }

    /** Tells the user what the background writer did: failures always, evictions by the store's bounds. */
    private void reportWrite(Published published, Throwable failure) {
        if (failure == null) {
            for (String note : published.notes()) {
                System.err.println("[rewind] " + note);
            }
            return;
        }
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        System.err.println("[rewind] error: " + t.getMessage());
        if (stopOnWriteError) {
            System.err.println("[rewind] stopping the program (--on-write-error=stop)");
            // not on this thread: exit runs the shutdown hook, which waits for this very writer
            Thread exit = new Thread(() -> System.exit(WRITE_FAILED_EXIT_CODE), "rewind-stop");
            exit.start();
        }
    }

    /** @see dev.rewind.Rewind#saveJump() */
    public Snapshot saveJump() {
        RestoreSession s = RestoreRuntime.current();
        if (s != null && s.completeIfLeaf()) {
            return null;
        }
        EscapeBarrier.checkThread();
        EscapeBarrier.materialize();
        return new SavedChain(FrameCapture.capture(LiveFrames.get().walk(), null), Thread.currentThread());
    }

    /** @see dev.rewind.Rewind#jump(Snapshot) */
    public void jump(Snapshot snapshot) {
        if (!(snapshot instanceof SavedChain)) {
            throw new RewindException("jump needs a snapshot returned by Rewind.saveJump() in this JVM");
        }
        SavedChain chain = (SavedChain) snapshot;
        if (chain.thread != Thread.currentThread()) {
            throw new RewindException("jump must run on the thread that took the snapshot (" + chain.thread.getName()
                + ")");
        }
        installPrologues(chain.frames);
        CapturedFrame outer = chain.frames.get(0);
        Method method = findMethod(outer);
        Object receiver = null;
        if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
            receiver = outer.localCount() > 0 ? outer.values()[0] : null;
            if (receiver == null) {
                receiver = JvmAccess.allocate(method.getDeclaringClass());
            }
        }
        Object[] args = defaults(method.getParameterTypes());
        RestoreSession session = new RestoreSession(Thread.currentThread()) {
            @Override
            protected List<CapturedFrame> loadFrames() {
                return chain.frames;
            }

            @Override
            protected Object standIn(CapturedFrame f, CapturedFrame next) {
                return StandIns.create(f, next, classOf(f).getClassLoader() == null
                    ? ClassLoader.getSystemClassLoader() : classOf(f).getClassLoader());
            }
        };
        RestoreRuntime.begin(session);
        try {
            method.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            throw RewindRuntime.<RuntimeException>sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new RewindException("cannot re-enter " + outer.where() + ": " + e, e);
        } finally {
            if (!session.isDone()) {
                session.abandon();
                throw new RewindException("jump could not re-enter the saved chain: frame " + outer.where()
                    + " did not reach the saved call (was the code redefined?)");
            }
        }
    }

    private void installPrologues(List<CapturedFrame> frames) {
        Set<Class<?>> retransform = new LinkedHashSet<>();
        for (CapturedFrame f : frames) {
            if (RestorePlan.addSite(f.className(), f.methodName(), f.descriptor(), f.instruction())) {
                retransform.add(classOf(f));
            }
        }
        if (!retransform.isEmpty()) {
            for (Class<?> c : retransform) {
                if (c.getClassLoader() == null || c.getClassLoader() == ClassLoader.getPlatformClassLoader()) {
                    RestoreRuntime.prepareJdkClass(inst);
                }
            }
            try {
                inst.retransformClasses(retransform.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException e) {
                throw new RewindException("cannot install restore prologues into " + retransform + ": " + e, e);
            }
        }
    }

    private static Class<?> classOf(CapturedFrame f) {
        try {
            return Class.forName(f.className(), false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            for (Class<?> c : instance.inst.getAllLoadedClasses()) {
                if (c.getName().equals(f.className())) {
                    return c;
                }
            }
            throw new RewindException("class " + f.className() + " of frame " + f.where() + " cannot be found", e);
        }
    }

    private static Method findMethod(CapturedFrame f) {
        Class<?> c = classOf(f);
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(f.methodName())
                    && org.objectweb.asm.Type.getMethodDescriptor(m).equals(f.descriptor())) {
                m.setAccessible(true);
                return m;
            }
        }
        throw new RewindException("method " + f.where() + " not found");
    }

    private static Object[] defaults(Class<?>[] types) {
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == boolean.class) {
                out[i] = false;
            } else if (t == char.class) {
                out[i] = (char) 0;
            } else if (t == byte.class) {
                out[i] = (byte) 0;
            } else if (t == short.class) {
                out[i] = (short) 0;
            } else if (t == int.class) {
                out[i] = 0;
            } else if (t == long.class) {
                out[i] = 0L;
            } else if (t == float.class) {
                out[i] = 0f;
            } else if (t == double.class) {
                out[i] = 0d;
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * @return the run checkpoints are written to, or null; creates it on the first call
     * @throws RewindException when it cannot be created
     */
    public Run run() {
        Run r = created;
        if (r == null) {
            synchronized (this) {
                r = created;
                if (r == null) {
                    r = run.get();
                    if (r != null) {
                        // a clean exit waits for checkpoints still being written
                        Run written = r;
                        try {
                            Runtime.getRuntime().addShutdownHook(new Thread(() -> written.store().awaitWrites(),
                                "rewind-await-writes"));
                        } catch (IllegalStateException shuttingDown) {
                            // a first checkpoint taken while the JVM exits: its caller waits with await()
                        }
                    }
                    created = r;
                }
            }
        }
        return r;
    }
}
