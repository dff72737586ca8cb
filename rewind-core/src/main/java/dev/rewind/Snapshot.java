package dev.rewind;

import java.util.List;

/**
 * A captured chain of frames, taken by {@link Rewind#saveJump()}; pass it to
 * {@link Rewind#jump(Snapshot)} to re-enter the chain. It can be inspected: {@link #frames()} lists
 * the captured frames, innermost first.
 */
public interface Snapshot {
    /** @return the captured frames, innermost (the caller of {@code saveJump}) first */
    List<FrameView> frames();
}
