package dev.rewind.cli;

import dev.rewind.CorruptCheckpointException;
import dev.rewind.RewindException;
import dev.rewind.internal.launch.JavaCommand;
import dev.rewind.internal.agent.JdkAccess;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.format.FrameRecord;
import dev.rewind.internal.format.HeaderCodec;
import dev.rewind.internal.serial.GraphReader;
import dev.rewind.internal.steps.StepMeta;
import dev.rewind.internal.store.CheckpointEntry;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.Store;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rewind export RUN CHECKPOINT}: the values a checkpoint saved, as JSON. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write the values a checkpoint saved as JSON: a program's frames (local variables) and static"
        + " fields, a pipeline step's result, a state's value. Objects are {\"@class\", \"@id\", fields...}; a second"
        + " reference to one is {\"@ref\": id}.",
        "Loading needs the program's classes: --cp, by default (for programs) the -cp of the recorded command."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "RUN", description = "Run id or unique prefix, or a pipeline's name.")
    String runId;

    @Parameters(index = "1", paramLabel = "CHECKPOINT",
        description = "Checkpoint number, or label (a step's name: its newest result).")
    String checkpoint;

    @Option(names = "--cp", paramLabel = "CLASSPATH", description = "Where the program's classes are (folders and jars,"
        + " separated by the path separator, ':' on Unix). Default for programs: the class path of the recorded command.")
    String classPath;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Store s = store.open();
        Run run = Pipelines.runOrPipeline(s, runId);
        CheckpointEntry e = Pipelines.checkpoint(run, checkpoint);
        CheckpointManifest m = run.manifest(e);
        List<Path> paths = classPath(run);
        JdkAccess.ensure();
        URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = url(paths.get(i));
        }
        String json;
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Object[] roots = read(run, e, m, loader, paths);
            Object document = document(run, e, m, roots);
            json = onBigStack(() -> JsonExport.of(document));
        }
        if (output != null) {
            Files.writeString(output, json, StandardCharsets.UTF_8);
            System.err.println("wrote " + output);
        } else {
            System.out.print(json);
            System.out.flush();
        }
        return 0;
    }

    private List<Path> classPath(Run run) {
        List<Path> out = new ArrayList<>();
        if (classPath != null) {
            for (String p : classPath.split(File.pathSeparator)) {
                if (!p.isEmpty()) {
                    out.addAll(expand(Path.of(p).toAbsolutePath()));
                }
            }
        } else if (run.info().kind().equals("run") && !run.info().command().isEmpty()) {
            for (Path p : JavaCommand.parse(run.info().command()).codePaths(run.info().workingDirectory())) {
                out.addAll(expand(p));
            }
        }
        return out;
    }

    /** @return the jars of {@code dir/*}, else the path itself */
    private static List<Path> expand(Path p) {
        if (!p.getFileName().toString().equals("*")) {
            return List.of(p);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent(), "*.{jar,JAR}")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            // a missing folder adds nothing, as for java itself
        }
        jars.sort(null);
        return jars;
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UsageException("bad class path entry " + p + ": " + e.getMessage());
        }
    }

    private Object[] read(Run run, CheckpointEntry e, CheckpointManifest m, ClassLoader loader, List<Path> paths) {
        List<String> missing = new ArrayList<>();
        try (InputStream in = run.open(m)) {
            return new GraphReader(in, name -> {
                try {
                    return Class.forName(name, false, loader);
                } catch (ClassNotFoundException x) {
                    missing.add(name);
                    throw x;
                }
            }).read();
        } catch (CorruptCheckpointException x) {
            if (!missing.isEmpty()) {
                throw new RewindException("checkpoint " + e.id() + " of run " + run.id() + " holds objects of class "
                    + missing.get(0) + ", which is not on the class path " + (paths.isEmpty() ? "(none given)"
                    : paths.toString()) + ". Pass the program's classes with --cp (folders and jars).");
            }
            throw new CorruptCheckpointException("checkpoint " + e.id() + " of run " + run.id() + " cannot be read: "
                + x.getMessage(), x);
        } catch (IOException x) {
            throw new CorruptCheckpointException("checkpoint " + e.file() + " cannot be read: " + x, x);
        }
    }

    private static Object document(Run run, CheckpointEntry e, CheckpointManifest m, Object[] roots) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run", run.id());
        doc.put("checkpoint", e.id());
        doc.put("label", m.label());
        doc.put("time", m.time().toString());
        switch (run.info().kind()) {
            case "run" -> {
                CheckpointHeader h = HeaderCodec.decode(e.file(), m.meta());
                if (roots.length != h.rootCount()) {
                    throw new CorruptCheckpointException("checkpoint " + e.file() + " holds " + roots.length
                        + " values where its header lists " + h.rootCount());
                }
                List<Object> frames = new ArrayList<>();
                int r = 0;
                for (FrameRecord f : h.frames()) {
                    Map<String, Object> frame = new LinkedHashMap<>();
                    frame.put("frame", f.className() + "." + f.methodName() + f.descriptor());
                    frame.put("line", f.line());
                    Map<String, Object> locals = new LinkedHashMap<>();
                    List<Object> stack = new ArrayList<>();
                    for (int i = 0; i < f.names().length; i++) {
                        if (i < f.localCount()) {
                            locals.put(f.names()[i], roots[r++]);
                        } else {
                            stack.add(roots[r++]);
                        }
                    }
                    frame.put("locals", locals);
                    frame.put("stack", stack);
                    frame.put("locks", new ArrayList<>(Arrays.asList(roots).subList(r, r + f.monitorCount())));
                    r += f.monitorCount();
                    frame.put("callArguments", new ArrayList<>(Arrays.asList(roots).subList(r, r + f.argumentCount())));
                    r += f.argumentCount();
                    frames.add(frame);
                }
                Map<String, Object> statics = new LinkedHashMap<>();
                for (String st : h.statics()) {
                    statics.put(st, roots[r++]);
                }
                doc.put("frames", frames);
                doc.put("statics", statics);
            }
            case "pipeline" -> {
                StepMeta meta = StepMeta.decode(m.meta(), "checkpoint " + e.file());
                doc.put("pipeline", meta.pipeline());
                doc.put("step", meta.step());
                doc.put("result", roots.length == 1 ? roots[0] : Arrays.asList(roots));
            }
            default -> {
                if (roots.length == 1) {
                    doc.put("value", roots[0]);
                } else {
                    doc.put("values", Arrays.asList(roots));
                }
            }
        }
        return doc;
    }

    /** Runs the JSON writer on a thread with a 512 MiB stack: deep graphs (long linked lists) recurse deeply. */
    private static String onBigStack(java.util.function.Supplier<String> task) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(task.get());
            } catch (RuntimeException | Error x) {
                result.set(x);
            }
        }, "rewind-export", 512L << 20);
        t.start();
        t.join();
        Object r = result.get();
        if (r instanceof StackOverflowError) {
            throw new RewindException("the saved graph is too deep to export as JSON");
        }
        if (r instanceof RuntimeException x) {
            throw x;
        }
        if (r instanceof Error x) {
            throw x;
        }
        return (String) r;
    }
}
