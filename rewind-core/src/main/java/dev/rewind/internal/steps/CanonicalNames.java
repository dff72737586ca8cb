package dev.rewind.internal.steps;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.Remapper;

/**
 * Replaces the names javac numbers by position in the source file with names numbered by the
 * order the fingerprint walk first meets them.
 *
 * <p>Why: javac calls lambda bodies {@code lambda$main$0}, {@code lambda$main$1}, ... and
 * anonymous and local classes {@code Main$1}, {@code Main$2Local}, ... with counters that run over
 * the whole class. Adding a step (a new lambda) above an existing one would rename the existing
 * step's lambda and change its fingerprint although its code is the same. The walk is
 * deterministic, so numbering by first encounter gives identical code identical names; the renaming
 * is one-to-one, so different code still hashes differently.
 *
 * <p>One instance serves one fingerprint computation.
 */
final class CanonicalNames extends Remapper {
    private final Map<String, String> classes = new HashMap<>();
    private final Map<String, String> lambdas = new HashMap<>();

    CanonicalNames() {
        super(Opcodes.ASM9);
    }

    /** Maps an internal class name; called by ASM for every class name inside descriptors too. */
    @Override
    public String map(String internalName) {
        int numbered = numberedSegment(internalName);
        if (numbered < 0) {
            return internalName;
        }
        String known = classes.get(internalName);
        if (known == null) {
            known = internalName.substring(0, numbered) + "$#" + classes.size();
            classes.put(internalName, known);
        }
        return known;
    }

    @Override
    public String mapMethodName(String owner, String name, String descriptor) {
        if (!name.startsWith("lambda$")) {
            return name;
        }
        String key = owner + '.' + name + descriptor;
        String known = lambdas.get(key);
        if (known == null) {
            known = "lambda$#" + lambdas.size();
            lambdas.put(key, known);
        }
        return known;
    }

    /**
     * @return the index of the first '$' in the simple part of the name that is followed by a digit
     *     (javac's mark of an anonymous or local class: no Java identifier starts with a digit), or -1
     */
    private static int numberedSegment(String internalName) {
        int from = internalName.lastIndexOf('/') + 1;
        for (int i = internalName.indexOf('$', from); i >= 0 && i + 1 < internalName.length();
                i = internalName.indexOf('$', i + 1)) {
            if (Character.isDigit(internalName.charAt(i + 1))) {
                return i;
            }
        }
        return -1;
    }
}
