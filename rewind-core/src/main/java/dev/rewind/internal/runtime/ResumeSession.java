package dev.rewind.internal.runtime;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.internal.bytecode.CodeLocation;
import dev.rewind.internal.bytecode.MethodFrames;
import dev.rewind.internal.capture.CapturedFrame;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.format.FrameRecord;
import dev.rewind.internal.restore.RestoreSession;
import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Re-enters a checkpoint's chain in a fresh JVM. The object graph is read when the main method's
 * prologue first asks for its frame, once the application's classes can be loaded; the static
 * fields are written back then, after their classes have been initialised.
 */
final class ResumeSession extends RestoreSession {
    private final Run run;
    private final CheckpointManifest manifest;
    private final Path file;
    private final CheckpointHeader header;

    ResumeSession(Thread thread, Run run, CheckpointManifest manifest, Path file, CheckpointHeader header) {
        super(thread);
        this.run = run;
        this.manifest = manifest;
        this.file = file;
        this.header = header;
    }

    private Object[] roots;
    private boolean loading;
    /** Saved statics not yet written, by class: field name and value. */
    private final java.util.Map<String, List<Object[]>> statics = new java.util.HashMap<>();
    /** Classes initialised while the graph was being read: their statics are written once it is read. */
    private final List<String> pending = new ArrayList<>();

    /**
     * Called by the static initialiser of every class that was initialised before the checkpoint
     * (the agent replaced its body): writes the saved statics while the class is being
     * initialised, before any of its code can run or be compiled with the wrong constants.
     */
    synchronized void restoreStatics(String className) {
        if (loading) {
            pending.add(className); // initialised by the graph reader itself: written when it is done
            return;
        }
        loadGraph();
        write(className);
    }

    private void write(String className) {
        List<Object[]> values = statics.remove(className);
        if (values == null) {
            return;
        }
        Class<?> c = load(applicationLoader(), className);
        for (Object[] fv : values) {
            StaticFields.restore(field(c, (String) fv[0]), fv[1]);
        }
    }

    private synchronized void loadGraph() {
        if (roots != null) {
            return;
        }
        ClassLoader loader = applicationLoader();
        for (FrameRecord f : header.frames()) {
            checkUnchanged(f, load(loader, f.className()));
        }
        loading = true;
        Object[] read;
        try {
            read = readRoots(loader);
        } finally {
            loading = false;
        }
        if (read.length != header.rootCount()) {
            throw new RewindException("cannot resume: checkpoint " + file + " holds " + read.length
                + " values where its header announces " + header.rootCount());
        }
        roots = read;
        int r = roots.length - header.statics().size();
        for (String s : header.statics()) {
            int hash = s.indexOf('#');
            statics.computeIfAbsent(s.substring(0, hash), k -> new ArrayList<>())
                .add(new Object[] {s.substring(hash + 1), roots[r++]});
        }
        for (String c : pending) {
            write(c);
        }
        pending.clear();
    }

    /** Reads the object graph; every chunk is checked against its name as it is read. */
    private Object[] readRoots(ClassLoader loader) {
        try (InputStream in = run.open(manifest)) {
            return new GraphReader(in, name -> Class.forName(name, false, loader)).read();
        } catch (CorruptCheckpointException e) {
            throw new CorruptCheckpointException("checkpoint " + file + " cannot be used: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CorruptCheckpointException("checkpoint " + file + " cannot be read: " + e, e);
        }
    }

    /**
     * Adds to a new checkpoint the classes that were initialised before the checkpoint this JVM
     * resumed from and have not been initialised in this JVM yet, with their saved statics.
     */
    synchronized void carryOver(List<String> initialized, List<String> staticNames, List<Object> roots,
            List<String> paths) {
        java.util.Set<String> now = new java.util.HashSet<>(initialized);
        for (String name : header.initialized()) {
            if (now.add(name)) {
                initialized.add(name);
            }
        }
        if (this.roots == null) {
            return;
        }
        for (java.util.Map.Entry<String, List<Object[]>> e : statics.entrySet()) {
            for (Object[] fv : e.getValue()) {
                staticNames.add(e.getKey() + "#" + fv[0]);
                roots.add(fv[1]);
                paths.add("static " + e.getKey() + "." + fv[0]);
            }
        }
    }

    @Override
    protected synchronized List<CapturedFrame> loadFrames() {
        loadGraph();
        List<CapturedFrame> frames = new ArrayList<>();
        int r = 0;
        for (FrameRecord f : header.frames()) {
            int values = f.names().length;
            Object[] v = Arrays.copyOfRange(roots, r, r + values);
            Object[] m = Arrays.copyOfRange(roots, r + values, r + values + f.monitorCount());
            Object[] a = Arrays.copyOfRange(roots, r + values + f.monitorCount(), r + f.rootCount());
            r += f.rootCount();
            frames.add(new CapturedFrame(f.className(), f.methodName(), f.descriptor(), f.instruction(), f.bci(),
                f.line(), f.callSignature(), v, m, a, f.localCount(), f.names(),
                f.receiverStandIn().isEmpty() ? null : f.receiverStandIn()));
        }
        return frames;
    }

    /**
     * @return the loader of the application code that called the first prologue (main's class):
     *     the system loader, or the in-memory loader of source-file mode
     */
    private static ClassLoader applicationLoader() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(s -> s
            .map(StackWalker.StackFrame::getDeclaringClass)
            .filter(c -> !c.getName().startsWith("dev.rewind.internal.") && c.getClassLoader() != null)
            .map(Class::getClassLoader)
            .findFirst()
            .orElse(ClassLoader.getSystemClassLoader()));
    }

    /** Refuses a frame whose method changed at or around the saved call. */
    private static void checkUnchanged(FrameRecord f, Class<?> c) {
        MethodFrames mf;
        try {
            mf = CodeLocation.analysis(c, f.methodName(), f.descriptor());
        } catch (IllegalArgumentException e) {
            throw changed(f, "the method is gone (" + e.getMessage() + ")");
        }
        if (f.instruction() >= mf.instructionCount()) {
            throw changed(f, "the method is shorter than at the checkpoint");
        }
        AbstractInsnNode insn = mf.instruction(f.instruction());
        if (!(insn instanceof MethodInsnNode)) {
            throw changed(f, "the saved call is no longer at the same place");
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        String sig = call.owner + "." + call.name + call.desc;
        if (!sig.equals(f.callSignature())) {
            throw changed(f, "the saved call was to " + f.callSignature() + " and is now to " + sig);
        }
    }

    private static RewindException changed(FrameRecord f, String why) {
        return new RewindException("cannot resume: the code of " + f.where() + " changed since the checkpoint: " + why
            + ". Resume with the program version that took the checkpoint, or start the program afresh.");
    }

    private static Class<?> load(ClassLoader loader, String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new RewindException("cannot resume: class " + name + " is not on the class path; run the same"
                + " command (class path) the checkpoint was taken with", e);
        }
    }

    private static Field field(Class<?> c, String name) {
        try {
            return c.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new RewindException("cannot resume: static field " + c.getName() + "." + name
                + " no longer exists; the checkpoint was taken with another version of the program", e);
        }
    }

    @Override
    protected void failed(Throwable error) {
        System.out.flush();
        System.err.println("[rewind] error: " + error.getMessage());
        if (!(error instanceof RewindException)) {
            error.printStackTrace();
        }
        Runtime.getRuntime().halt(haltCode(error));
    }

    /**
     * @return the exit code of a resume that failed with {@code error}: damaged data (found while the
     *     graph is read, before any application code runs) has its own, so that {@code rewind resume}
     *     can fall back to an older checkpoint
     */
    static int haltCode(Throwable error) {
        return error instanceof CorruptCheckpointException ? RewindRuntime.DAMAGED_EXIT_CODE : 3;
    }

    @Override
    protected Object standIn(CapturedFrame f, CapturedFrame next) {
        return StandIns.create(f, next, applicationLoader());
    }
}
