package dev.rewind.cli;

import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.format.FrameRecord;
import dev.rewind.internal.format.HeaderCodec;
import dev.rewind.internal.steps.StepMeta;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.RunInfo;
import dev.rewind.internal.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import static dev.rewind.internal.store.StoreOptions.human;

/** {@code rewind show RUN [CHECKPOINT]}: what a run or one of its checkpoints holds, without loading it. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Describe a run, or one of its checkpoints: sizes, time, parent; for a program the saved frames"
        + " (class, method, line, local variables) and static fields; for a pipeline step why it ran, its inputs and"
        + " the code it covers. Nothing is loaded or run.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id or unique prefix, or a pipeline's name.")
    String runId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CHECKPOINT",
        description = "Checkpoint number, or label (a step's name: its newest result).")
    String checkpoint;

    @Override
    public Integer call() {
        Store s = store.open();
        Run run = Pipelines.runOrPipeline(s, runId);
        if (checkpoint == null) {
            RunInfo i = run.info();
            System.out.println("run " + run.id() + " (" + i.kind() + " " + i.name() + ")");
            if (!i.command().isEmpty()) {
                System.out.println("  command: " + String.join(" ", i.command()));
            }
            System.out.println("  started " + i.started() + " in " + i.workingDirectory() + " on " + i.host() + ", JDK "
                + i.jdk());
            for (CheckpointEntry e : run.checkpoints()) {
                System.out.println("  " + LsCommand.describe(run, e));
            }
            return 0;
        }
        CheckpointEntry e = Pipelines.checkpoint(run, checkpoint);
        CheckpointManifest m = run.manifest(e);
        System.out.println("checkpoint " + e.id() + " \"" + m.label() + "\" of run " + run.id() + " (" + run.info().kind()
            + " " + run.info().name() + ")");
        System.out.println("  taken " + m.time() + (m.parent() > 0 ? ", after checkpoint " + String.format("%04d",
            m.parent()) : ", the run's first"));
        System.out.println("  " + human(m.rawSize()) + " of state in " + m.chunks().size() + " chunk(s), "
            + human(m.storedSize()) + " stored, " + human(m.addedBytes()) + " added by it");
        switch (run.info().kind()) {
            case "run" -> showFrames(HeaderCodec.decode(e.file(), m.meta()));
            case "pipeline" -> showStep(StepMeta.decode(m.meta(), "checkpoint " + e.file()));
            default -> showOther(m.meta());
        }
        return 0;
    }

    private static void showFrames(CheckpointHeader h) {
        System.out.println("  main class " + h.mainClass() + ", taken by Rewind " + h.rewindVersion() + " on JDK "
            + h.jdkVersion());
        System.out.println("  frames (outermost first):");
        for (FrameRecord f : h.frames()) {
            System.out.println("    " + f.className() + "." + f.methodName() + f.descriptor() + "  "
                + (f.line() > 0 ? "line " + f.line() : "bci " + f.bci()));
            String[] locals = Arrays.copyOf(f.names(), Math.min(f.localCount(), f.names().length));
            System.out.println("      locals: " + (locals.length == 0 ? "none" : String.join(", ", locals))
                + (f.names().length > locals.length ? "; " + (f.names().length - locals.length) + " operand stack value(s)"
                    : "") + (f.monitorCount() > 0 ? "; " + f.monitorCount() + " lock(s) held" : ""));
        }
        System.out.println("  static fields (" + h.statics().size() + "):");
        for (String st : h.statics()) {
            System.out.println("    " + st);
        }
    }

    private static void showStep(StepMeta m) {
        System.out.println("  pipeline '" + m.pipeline() + "', step '" + m.step() + "': " + (m.hasResult()
            ? "ran in " + StepsCommand.duration(m.durationMillis()) + " (" + m.reason() + ")"
            : "failed after " + StepsCommand.duration(m.durationMillis()) + ": " + m.error()));
        if (m.hasResult()) {
            System.out.println("  result: " + (m.resultClass() == null ? "null" : m.resultClass()));
        }
        System.out.println("  inputs: " + (m.dependencies().isEmpty() ? "no earlier step's result"
            : "results of " + String.join(", ", m.dependencies())) + "; input hash " + m.inputHash());
        System.out.println("  code hash " + m.codeHash() + " over " + m.methods().size() + " method(s):");
        for (String method : m.methods()) {
            System.out.println("    " + method);
        }
        for (String note : m.notes()) {
            System.out.println("  note: " + note);
        }
    }

    private static void showOther(byte[] meta) {
        String text = new String(meta, StandardCharsets.UTF_8);
        if (text.chars().allMatch(c -> c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c != 0xFFFD))) {
            System.out.println("  metadata:");
            for (String line : text.split("\\R")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    System.out.println("    " + line);
                }
            }
        } else {
            System.out.println("  " + meta.length + " bytes of metadata");
        }
    }
}
