package dev.rewind.internal.restore;

import dev.rewind.RewindException;
import dev.rewind.internal.capture.CapturedFrame;
import java.util.List;

/**
 * Re-enters one saved chain of frames on one thread: hands each frame's saved state to its
 * prologue in order, outermost first, and then lets the innermost pending call (checkpoint or
 * saveJump) return its "resumed" value.
 */
public abstract class RestoreSession {
    private final Thread thread;
    private List<CapturedFrame> frames;
    private int[] ids;
    private int cursor;
    private boolean leafPending;
    private boolean done;
    private boolean preparing;
    private Object[] lastData;
    private int lastMethod = -1;

    protected RestoreSession(Thread thread) {
        this.thread = thread;
    }

    /**
     * Supplies the frames, outermost first; called lazily on the first prologue entry, when
     * application classes can be loaded (a resume reads the object graph here).
     */
    protected abstract List<CapturedFrame> loadFrames();

    /** Reports a chain that could not be loaded; may end the JVM. Called before the error propagates. */
    protected void failed(Throwable error) {
    }

    /**
     * @return a stand-in receiver for the pending call of f, whose receiver the JIT had dropped
     *     (see {@link CapturedFrame#receiverStandIn()}); the callee never uses it
     */
    protected abstract Object standIn(CapturedFrame f, CapturedFrame next);

    Object[] enter(int methodId) {
        if (Thread.currentThread() != thread || done || preparing) {
            return null;
        }
        if (frames == null) {
            preparing = true;
            RestoreRuntime.enterRewindCode();
            try {
                frames = loadFrames();
            } catch (RuntimeException | Error e) {
                done = true;
                RestoreRuntime.end(this);
                failed(e);
                throw e;
            } finally {
                preparing = false;
                RestoreRuntime.exitRewindCode();
            }
            if (frames.isEmpty()) {
                done = true;
                RestoreRuntime.end(this);
                return null;
            }
            ids = new int[frames.size()];
            for (int i = 0; i < ids.length; i++) {
                CapturedFrame f = frames.get(i);
                ids[i] = RestorePlan.idOf(f.className(), f.methodName(), f.descriptor());
            }
        }
        if (cursor >= frames.size() || ids[cursor] != methodId) {
            return null;
        }
        CapturedFrame f = frames.get(cursor++);
        if (cursor == frames.size()) {
            leafPending = true;
        }
        lastData = data(f, cursor < frames.size() ? frames.get(cursor) : null);
        lastMethod = methodId;
        return lastData;
    }

    int afterLock(int methodId) {
        if (Thread.currentThread() != thread || done || lastMethod != methodId || lastData == null) {
            return -1;
        }
        return (Integer) lastData[0];
    }

    Object[] lastData() {
        return lastData;
    }

    private Object[] data(CapturedFrame f, CapturedFrame next) {
        int site = RestorePlan.siteIndex(f.className(), f.methodName(), f.descriptor(), f.instruction());
        if (site < 0) {
            fail("no restore prologue for " + f.where());
        }
        Object[] args = f.callArguments().clone();
        if (args.length > 0 && args[0] == null && f.receiverStandIn() != null) {
            args[0] = standIn(f, next);
        }
        Object[] data = new Object[1 + f.values().length + f.monitors().length + args.length];
        data[0] = site;
        System.arraycopy(f.values(), 0, data, 1, f.values().length);
        System.arraycopy(f.monitors(), 0, data, 1 + f.values().length, f.monitors().length);
        System.arraycopy(args, 0, data, 1 + f.values().length + f.monitors().length, args.length);
        return data;
    }

    private void fail(String message) {
        done = true;
        RestoreRuntime.end(this);
        throw new RewindException("cannot resume: " + message);
    }

    /**
     * Called by Rewind's API when the innermost frame's pending call runs.
     *
     * @return true when this call is the restored one, which must now return its "resumed" value
     */
    public boolean completeIfLeaf() {
        if (leafPending && Thread.currentThread() == thread) {
            leafPending = false;
            done = true;
            RestoreRuntime.end(this);
            return true;
        }
        return false;
    }

    /** @return true once the chain has been fully re-entered or abandoned */
    public boolean isDone() {
        return done;
    }

    /** @return true while frames are still to be re-entered */
    public boolean inProgress() {
        return !done && frames != null;
    }

    /** Abandons the session (the outermost call returned or threw before the chain was rebuilt). */
    public void abandon() {
        done = true;
        RestoreRuntime.end(this);
    }
}
