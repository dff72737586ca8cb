package dev.rewind.cli;

import dev.rewind.internal.steps.RerunMarks;
import dev.rewind.internal.steps.StepHistory;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rewind rerun NAME STEP}: makes a pipeline step, and the steps that consume its result, run again. */
@Command(name = "rerun", mixinStandardHelpOptions = true,
    description = "Mark a pipeline step and the steps that consume its result (directly or not) to run again the next"
        + " time the program runs, even though their code and inputs are unchanged.")
final class RerunCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline's name, as given to Pipeline.open.")
    String name;

    @Parameters(index = "1", paramLabel = "STEP", description = "The step's name (see `rewind steps NAME`).")
    String step;

    @Override
    public Integer call() {
        Store s = store.open();
        Run run = Pipelines.find(s, name);
        StepHistory h = StepHistory.read(run);
        if (!h.contains(step)) {
            throw new UsageException("pipeline '" + run.info().name() + "' has no step '" + step + "'"
                + (h.steps().isEmpty() ? ": no step has run yet" : "; its steps: " + String.join(", ", h.steps())));
        }
        Set<String> marked = h.withDependents(step);
        RerunMarks.mark(run.dir(), marked, System.currentTimeMillis());
        List<String> dependents = new ArrayList<>(marked);
        dependents.remove(step);
        System.out.println("marked step '" + step + "'" + (dependents.isEmpty() ? ""
            : " and its dependents " + String.join(", ", dependents)) + " of pipeline '" + run.info().name()
            + "' to run again next time");
        return 0;
    }
}
