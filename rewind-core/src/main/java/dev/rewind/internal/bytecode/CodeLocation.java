package dev.rewind.internal.bytecode;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A live frame's position translated to the method's original instructions: the agent may have
 * inserted a restore prologue before them, which shifts every bci of the running code.
 *
 * @param frames the analysis of the original method
 * @param instruction the index of the instruction among the original method's instructions
 */
public record CodeLocation(MethodFrames frames, int instruction) {
    private static final ClassValue<Map<String, MethodFrames>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, MethodFrames> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /**
     * @param calleeName the name of the method the frame is calling (the next frame's), used to
     *     tell which installed version of the method a frame is running
     * @return the location, or null when the bci is not at a call to calleeName in any version
     * @throws IllegalArgumentException when the class file cannot be read or analysed
     */
    public static CodeLocation of(Class<?> c, String name, String descriptor, int bci, String calleeName) {
        MethodFrames frames = analysis(c, name, descriptor);
        java.util.List<ClassBytes.Transformed> versions = ClassBytes.versions(c);
        // newest first: a frame normally runs the code installed last; one that was already running
        // when the class was retransformed (a jump) still runs the version it started in
        for (int v = versions.size() - 1; v >= -1; v--) {
            int index;
            if (v >= 0) {
                ClassBytes.Transformed t = versions.get(v);
                int[] offsets = CodeOffsets.of(t.installed(), name, descriptor);
                int i = offsets == null ? -1 : java.util.Arrays.binarySearch(offsets, bci);
                index = i < 0 ? -1 : t.originalIndex(name, descriptor, i);
            } else {
                index = frames.indexOfBci(bci);
            }
            if (index >= 0 && index < frames.instructionCount()
                    && frames.instruction(index) instanceof org.objectweb.asm.tree.MethodInsnNode
                    && ((org.objectweb.asm.tree.MethodInsnNode) frames.instruction(index)).name.equals(calleeName)) {
                return new CodeLocation(frames, index);
            }
        }
        return null;
    }

    /** @return the (cached) analysis of the class's original method */
    public static MethodFrames analysis(Class<?> c, String name, String descriptor) {
        return CACHE.get(c).computeIfAbsent(name + descriptor, k -> {
            try {
                return MethodFrames.analyze(ClassBytes.original(c), name, descriptor);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }
}
