package dev.rewind.internal.runtime;

import dev.rewind.FrameView;
import dev.rewind.Snapshot;
import dev.rewind.internal.capture.CapturedFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A chain captured by {@code saveJump}: live references, re-entered in this JVM by {@code jump}. */
final class SavedChain implements Snapshot {
    final List<CapturedFrame> frames;
    final Thread thread;

    SavedChain(List<CapturedFrame> frames, Thread thread) {
        this.frames = List.copyOf(frames);
        this.thread = thread;
    }

    @Override
    public List<FrameView> frames() {
        List<FrameView> out = new ArrayList<>();
        for (CapturedFrame f : frames) {
            out.add(view(f));
        }
        Collections.reverse(out);
        return out;
    }

    static FrameView view(CapturedFrame f) {
        return new FrameView() {
            @Override
            public String className() {
                return f.className();
            }

            @Override
            public String methodName() {
                return f.methodName();
            }

            @Override
            public String descriptor() {
                return f.descriptor();
            }

            @Override
            public int line() {
                return f.line();
            }

            @Override
            public int bci() {
                return f.bci();
            }

            @Override
            public Map<String, Object> locals() {
                return Collections.unmodifiableMap(f.namedLocals());
            }

            @Override
            public String toString() {
                return f.where() + " " + f.namedLocals();
            }
        };
    }

    @Override
    public String toString() {
        return "Snapshot" + frames();
    }
}
