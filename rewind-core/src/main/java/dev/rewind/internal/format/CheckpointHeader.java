package dev.rewind.internal.format;

import java.util.List;

/**
 * What a checkpoint file says about itself, readable without loading application classes.
 *
 * @param rewindVersion version of Rewind that wrote it
 * @param jdkFeature the JDK feature version it was taken on (17, 25...); resume needs the same
 * @param jdkVersion full JDK version string, for display
 * @param runId the run it belongs to
 * @param sequence the checkpoint's number within its run
 * @param label the label given to {@code Rewind.checkpoint}
 * @param timeMillis when it was taken
 * @param mainClass the class whose main method is the outermost frame
 * @param frames the saved frames, outermost first
 * @param statics the saved static fields, "binary.ClassName#field", in initialisation order
 * @param initialized the application classes that were initialised (their initialisers are not
 *     run again on resume: the saved statics are their state)
 */
public record CheckpointHeader(String rewindVersion, int jdkFeature, String jdkVersion, String runId, int sequence,
        String label, long timeMillis, String mainClass, List<FrameRecord> frames, List<String> statics,
        List<String> initialized) {

    /** @return the number of graph roots: every frame's values, then the statics */
    public int rootCount() {
        int n = statics.size();
        for (FrameRecord f : frames) {
            n += f.rootCount();
        }
        return n;
    }
}
