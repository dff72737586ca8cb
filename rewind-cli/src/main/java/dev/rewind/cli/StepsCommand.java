package dev.rewind.cli;

import dev.rewind.internal.steps.RerunMarks;
import dev.rewind.internal.steps.StepHistory;
import dev.rewind.internal.steps.StepMeta;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import static dev.rewind.internal.store.StoreOptions.human;

/** {@code rewind steps NAME}: the steps of a pipeline, with their stored results and why they last ran. */
@Command(name = "steps", mixinStandardHelpOptions = true,
    description = {"List the steps of a pipeline (dev.rewind.Pipeline): whether a result is stored, why the step last"
        + " ran, pending `rewind rerun` marks, result size, bytes it added to the store, duration and time.",
        "Whether a step's code changed since is only known when the program runs: it re-runs the steps whose code or"
        + " inputs changed and says why."})
final class StepsCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline's name, as given to Pipeline.open.")
    String name;

    @Option(names = {"-v", "--verbose"}, description = "Also list each step's inputs and the methods its code"
        + " fingerprint covers.")
    boolean verbose;

    @Override
    public Integer call() {
        Store s = store.open();
        Run run = Pipelines.find(s, name);
        StepHistory h = StepHistory.read(run);
        Map<String, Long> marks = RerunMarks.read(run.dir());
        System.out.println("pipeline '" + run.info().name() + "' (run " + run.id() + " in " + s.root() + ")");
        if (h.steps().isEmpty()) {
            System.out.println("  no step has run yet");
        } else {
            System.out.printf(Locale.ROOT, "  %-16s %-44s %10s %10s %9s  %s%n", "STEP", "STATUS", "RESULT", "ADDED",
                "DURATION", "TIME");
        }
        for (String step : h.steps()) {
            StepHistory.Version latest = h.latest(step);
            StepMeta m = latest.meta();
            System.out.printf(Locale.ROOT, "  %-16s %-44s %10s %10s %9s  %s%n", step, status(h, step, marks),
                m.hasResult() ? human(latest.manifest().rawSize()) : "-", human(latest.manifest().addedBytes()),
                duration(m.durationMillis()), latest.manifest().time());
            if (verbose) {
                System.out.println("      inputs: " + (m.dependencies().isEmpty() ? "no earlier step's result"
                    : "results of " + String.join(", ", m.dependencies())) + "; input hash " + shortHash(m.inputHash())
                    + ", code hash " + shortHash(m.codeHash()) + "; " + h.versions(step).size() + " version(s) stored");
                if (m.resultClass() != null && !m.resultClass().isEmpty()) {
                    System.out.println("      result: " + m.resultClass());
                }
                for (String note : m.notes()) {
                    System.out.println("      note: " + note);
                }
                System.out.println("      code (" + m.methods().size() + " method(s)):");
                for (String method : m.methods()) {
                    System.out.println("        " + method);
                }
            }
        }
        for (String marked : marks.keySet()) {
            if (!h.contains(marked)) {
                System.out.println("  " + marked + ": marked to re-run, but no result of it is stored");
            }
        }
        for (StepHistory.Unusable u : h.unusable()) {
            System.out.println("  checkpoint " + u.entry().id() + " UNUSABLE: " + u.why());
        }
        return 0;
    }

    private static String status(StepHistory h, String step, Map<String, Long> marks) {
        StepHistory.Version latest = h.latest(step);
        StepMeta m = latest.meta();
        Long mark = marks.get(step);
        String s;
        if (m.hasResult()) {
            s = "cached (ran: " + m.reason() + ")";
        } else {
            boolean older = h.versions(step).stream().anyMatch(v -> v.meta().hasResult());
            s = "last run failed: " + m.error() + (older ? " (an older result is stored)" : "");
        }
        if (mark != null && latest.manifest().timeMillis() <= mark) {
            s = "marked to re-run; " + s;
        }
        return s;
    }

    static String duration(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }
}
