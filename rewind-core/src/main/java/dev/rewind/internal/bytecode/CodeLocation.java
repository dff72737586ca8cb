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
     * @return the location, or null when the bci is not the start of an original instruction
     * @throws IllegalArgumentException when the class file cannot be read or analysed
     */
    public static CodeLocation of(Class<?> c, String name, String descriptor, int bci) {
        MethodFrames frames = analysis(c, name, descriptor);
        ClassBytes.Transformed t = ClassBytes.transformed(c);
        int index;
        int prologue = t == null ? 0 : t.prologueLength(name, descriptor);
        if (prologue > 0) {
            int[] offsets = CodeOffsets.of(t.installed(), name, descriptor);
            int i = java.util.Arrays.binarySearch(offsets, bci);
            index = i < 0 ? -1 : i - prologue;
        } else {
            index = frames.indexOfBci(bci);
        }
        return index < 0 || index >= frames.instructionCount() ? null : new CodeLocation(frames, index);
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
