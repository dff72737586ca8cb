package dev.rewind.internal.steps;

import dev.rewind.RewindException;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stored versions of a pipeline's steps, read from its run's checkpoint manifests (not their
 * data): what {@code Pipeline} looks results up in, and what {@code rewind steps} and
 * {@code rewind rerun} show and mark.
 */
public final class StepHistory {
    /**
     * One stored version of a step.
     *
     * @param entry its checkpoint
     * @param manifest its manifest (signature checked)
     * @param meta the step metadata in it
     */
    public record Version(CheckpointEntry entry, CheckpointManifest manifest, StepMeta meta) {
    }

    /**
     * A checkpoint of the run that cannot be used.
     *
     * @param entry the checkpoint
     * @param why what is wrong with it
     */
    public record Unusable(CheckpointEntry entry, String why) {
    }

    private final Map<String, List<Version>> byStep;
    private final List<Unusable> unusable;

    private StepHistory(Map<String, List<Version>> byStep, List<Unusable> unusable) {
        this.byStep = byStep;
        this.unusable = unusable;
    }

    /**
     * Reads every checkpoint manifest of a pipeline's run; damaged, foreign or untrusted ones are
     * listed by {@link #unusable()}.
     */
    public static StepHistory read(Run run) {
        Map<String, List<Version>> byStep = new LinkedHashMap<>();
        List<Unusable> unusable = new ArrayList<>();
        for (CheckpointEntry e : run.checkpoints()) {
            try {
                CheckpointManifest m = run.manifest(e);
                StepMeta meta = StepMeta.decode(m.meta(), "checkpoint " + e.file());
                byStep.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(new Version(e, m, meta));
            } catch (RewindException x) {
                unusable.add(new Unusable(e, x.getMessage()));
            }
        }
        for (List<Version> versions : byStep.values()) {
            versions.sort(Comparator.comparingInt((Version v) -> v.entry().sequence()).reversed());
        }
        return new StepHistory(byStep, unusable);
    }

    /** @return the step names, in the order the pipeline last called them */
    public List<String> steps() {
        List<String> names = new ArrayList<>(byStep.keySet());
        names.sort(Comparator.comparingInt((String s) -> latest(s).meta().position())
            .thenComparingLong(s -> latest(s).manifest().timeMillis()).thenComparing(s -> s));
        return names;
    }

    /** @return the stored versions of a step, newest first; empty for an unknown step */
    public List<Version> versions(String step) {
        return byStep.getOrDefault(step, List.of());
    }

    /** @return the newest stored version of a known step */
    public Version latest(String step) {
        return byStep.get(step).get(0);
    }

    /** @return whether the step has a stored version */
    public boolean contains(String step) {
        return byStep.containsKey(step);
    }

    /** @return the run's checkpoints that cannot be used */
    public List<Unusable> unusable() {
        return unusable;
    }

    /**
     * @return {@code step} and, transitively, every step whose newest version took the result of a
     *     step in the set as an input, in pipeline order
     */
    public Set<String> withDependents(String step) {
        Set<String> out = new LinkedHashSet<>();
        out.add(step);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String s : byStep.keySet()) {
                if (!out.contains(s) && latest(s).meta().dependencies().stream().anyMatch(out::contains)) {
                    out.add(s);
                    grew = true;
                }
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : steps()) {
            if (out.contains(s)) {
                ordered.add(s);
            }
        }
        ordered.addAll(out);
        return ordered;
    }
}
