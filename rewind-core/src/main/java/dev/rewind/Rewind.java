package dev.rewind;

import dev.rewind.internal.runtime.RewindRuntime;

/**
 * Rewind's Java API: checkpoint the calling thread's call chain and resume it later, in this JVM
 * ({@link #saveJump()} / {@link #jump(Snapshot)}) or in a fresh one ({@link #checkpoint(String)}
 * followed by {@code rewind resume}).
 *
 * <p>These methods need the Rewind agent, which {@code rewind run} installs. Without it they throw
 * a {@link RewindException} that says how to start the program.
 */
public final class Rewind {
    private Rewind() {
    }

    /**
     * Captures and persists the calling thread's frames, the static fields of the application's
     * classes and everything reachable from them.
     *
     * @param label a short name shown by {@code rewind ls}; may be empty, not null
     * @return the saved checkpoint's handle when the program goes on after saving, or {@code null}
     *     when the program has just been resumed from this checkpoint (the place to reopen files
     *     and connections)
     * @throws CheckpointRefusedException when the state could not be resumed later (the message
     *     names the frame, the source line and the object path); nothing was written
     * @throws RewindException when the agent is missing or the checkpoint cannot be written
     */
    public static Checkpoint checkpoint(String label) {
        return RewindRuntime.get().checkpoint(label);
    }

    /**
     * Captures the calling thread's chain of frames, like POSIX {@code setjmp}.
     *
     * @return the snapshot when it captures, and {@code null} when control comes back here
     *     through {@link #jump(Snapshot)} ("returns twice")
     * @throws CheckpointRefusedException when a frame on the chain cannot be re-entered
     */
    public static Snapshot saveJump() {
        return RewindRuntime.get().saveJump();
    }

    /**
     * Runs the captured chain again, rooted under this call: every captured frame is re-entered
     * with the locals, operand stack and monitors it had when {@link #saveJump()} captured it, and
     * {@code saveJump} returns {@code null} in the innermost one. This method returns when the
     * chain's outermost captured frame returns. Objects are shared with the live heap, not copied:
     * a frame sees the current state of the objects it referenced.
     *
     * @param snapshot a snapshot taken by {@link #saveJump()} in this JVM
     * @throws RewindException when the snapshot came from another JVM or its frames cannot be
     *     re-entered
     */
    public static void jump(Snapshot snapshot) {
        if (snapshot == null) {
            throw new NullPointerException("snapshot");
        }
        RewindRuntime.get().jump(snapshot);
    }

    /**
     * Tells whether the Rewind agent is installed in this JVM (the program was started by
     * {@code rewind run} or {@code rewind resume}, or with {@code -javaagent}).
     *
     * @return true when {@link #checkpoint(String)} can work
     */
    public static boolean isActive() {
        return RewindRuntime.isInstalled();
    }
}
