package dev.rewind.internal.agent;

import dev.rewind.RewindException;
import dev.rewind.internal.format.HeaderCodec;
import dev.rewind.internal.launch.CommandLineException;
import dev.rewind.internal.launch.JavaCommand;
import dev.rewind.internal.launch.LaunchedCommand;
import dev.rewind.internal.format.CheckpointHeader;
import dev.rewind.internal.restore.RestoreRuntime;
import dev.rewind.internal.restore.RestoreSession;
import dev.rewind.internal.restore.RestoreTransformer;
import dev.rewind.internal.runtime.RewindRuntime;
import dev.rewind.internal.store.Run;
import dev.rewind.internal.store.CheckpointManifest;
import dev.rewind.internal.store.Store;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code -javaagent:rewind-core.jar=OPTIONS}, or the native agent's
 * {@code start=} option, see {@link NativeInstrumentation}): parses the options, opens
 * java.base to Rewind, installs the runtime and the one transformer, and, on resume, arms the
 * restore before the program's main class loads. Nothing here touches application classes.
 */
public final class AgentMain {
    /** Exit code when a resume cannot start. */
    public static final int RESUME_FAILED = 3;
    /** Exit code of bad agent options or a java command Rewind cannot run (as the CLI's usage errors). */
    public static final int USAGE = 2;
    /** Exit code when a new run cannot be created (as the CLI's other errors). */
    public static final int RUN_FAILED = 1;

    private AgentMain() {
    }

    /**
     * Entry point of an agent loaded into a running JVM. Rewind only does that for {@link JdkAccess}:
     * the explicit APIs need java.base open, nothing else of the agent.
     *
     * @param args {@link JdkAccess#OPEN_ONLY}
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String args, Instrumentation inst) {
        if (JdkAccess.OPEN_ONLY.equals(args)) {
            ModuleAccess.openJavaBase(inst);
            return;
        }
        System.err.println("[rewind] error: Rewind's agent cannot be loaded into a running program; start it with"
            + " `rewind run -- java ...`");
    }

    /**
     * @param args the agent options, see {@link AgentOptions}
     * @param inst the JVM's instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    /**
     * Entry point when the native agent starts Rewind instead of {@code -javaagent}
     * ({@code -agentpath:librewind-jvmti.so=start=JAR,OPTIONS}); called at VMInit, before the main class loads.
     *
     * @param args the agent options, see {@link AgentOptions}
     */
    static void nativeStart(String args) {
        NativeInstrumentation inst = NativeInstrumentation.get();
        if (inst == null) {
            System.err.println("[rewind] error: Rewind's native agent did not start Rewind");
            Runtime.getRuntime().halt(RUN_FAILED);
            return;
        }
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException | RewindException e) {
            System.err.println("[rewind] error: " + e.getMessage());
            Runtime.getRuntime().halt(USAGE);
            return;
        }
        if (inst instanceof NativeInstrumentation && options.resume() != null) {
            System.err.println("[rewind] error: Rewind's native agent does not resume programs; resume with `rewind resume`");
            Runtime.getRuntime().halt(USAGE);
            return;
        }
        Supplier<Run> run = new Fixed(null);
        if (options.newRun()) {
            run = newRun(options);
        }
        try {
            if (!(inst instanceof NativeInstrumentation)) {
                ModuleAccess.openJavaBase(inst); // the native agent's JVM opens it at the first checkpoint
            }
            String mainClass = mainClass();
            if (options.run() != null) {
                Store store = Store.open(options.storeRoot(), options.storeOptions());
                Run existing = store.run(options.run());
                run = new Fixed(existing);
            }
            RewindRuntime.install(inst, run, mainClass, options.sync(), "stop".equals(options.onWriteError()));
            CheckpointHeader resumeHeader = null;
            if (options.resume() != null) {
                if (options.run() == null) {
                    throw new RewindException("the agent option resume= needs run= too; resume with `rewind resume`");
                }
                Run resumed = run.get();
                Path file = Path.of(options.resume());
                CheckpointManifest manifest = resumed.manifest(resumed.entry(file));
                CheckpointHeader header = HeaderCodec.decode(file, manifest.meta());
                if (header.jdkFeature() != Runtime.version().feature()) {
                    throw new RewindException("checkpoint " + file + " was taken on JDK " + header.jdkVersion()
                        + " and this JVM is JDK " + System.getProperty("java.version") + "; resume it with a JDK "
                        + header.jdkFeature());
                }
                if (mainClass != null && !mainClass.equals(header.mainClass())) {
                    throw new RewindException("checkpoint " + file + " was taken in a program whose main class is "
                        + header.mainClass() + ", but this JVM runs " + mainClass);
                }
                // the chunks are checked against their names as the graph is read; here only that they are all
                // there, so that a gap stops the resume before any application code runs
                resumed.checkPresent(manifest);
                RewindRuntime.prepareResume(resumed, manifest, file, header);
                resumeHeader = header;
                Runtime.getRuntime().addShutdownHook(new Thread(AgentMain::checkResumed, "rewind-resume-check"));
            }
            inst.addTransformer(new RestoreTransformer(), true);
            serializableJdkLambdas(inst);
            if (resumeHeader != null) {
                RewindRuntime.retransformJdkFrames(resumeHeader);
            }
        } catch (RuntimeException e) {
            System.err.println("[rewind] error: " + e.getMessage());
            Runtime.getRuntime().halt(RESUME_FAILED);
        }
    }

    /**
     * Prepares the run this program's checkpoints go to, recording its command as the user typed it;
     * a command Rewind cannot run, or a store it cannot write, stops the JVM here, before the program starts.
     */
    private static Supplier<Run> newRun(AgentOptions options) {
        try {
            List<String> command = LaunchedCommand.user(options.added());
            return RunSetup.prepare(options, command, JavaCommand.parse(command));
        } catch (CommandLineException e) {
            System.err.println("[rewind] error: " + e.getMessage());
            Runtime.getRuntime().halt(USAGE);
        } catch (RuntimeException e) {
            System.err.println("[rewind] error: " + e.getMessage());
            Runtime.getRuntime().halt(RUN_FAILED);
        }
        return null;
    }

    /** Retransforms the already loaded JDK classes whose lambdas must be serializable. */
    private static void serializableJdkLambdas(Instrumentation inst) {
        java.util.List<Class<?>> targets = new java.util.ArrayList<>();
        Class<?>[] candidates = inst instanceof NativeInstrumentation n ? n.jdkLambdaCandidates() : inst.getAllLoadedClasses();
        for (Class<?> c : candidates) {
            if (!c.isHidden() && !c.isArray() && c.getClassLoader() == null
                    && RestoreTransformer.retransformAtStart(c.getName().replace('.', '/'))
                    && inst.isModifiableClass(c)) {
                targets.add(c);
            }
        }
        try {
            Class<?>[] classes = targets.toArray(new Class<?>[0]);
            if (inst instanceof NativeInstrumentation n) {
                n.retransformLambdasOnly(classes); // no Java transformer runs until one is needed
            } else {
                inst.retransformClasses(classes);
            }
        } catch (java.lang.instrument.UnmodifiableClassException | RuntimeException e) {
            System.err.println("[rewind] warning: lambdas created by JDK classes stay unserializable: " + e);
        }
    }

    /** A run known at start (a class, not a lambda: the first lambda of a JVM costs ~8 ms of start-up). */
    private record Fixed(Run run) implements Supplier<Run> {
        @Override
        public Run get() {
            return run;
        }
    }

    /** A program that exits before its saved chain was re-entered did not resume: say so. */
    private static void checkResumed() {
        RestoreSession s = RestoreRuntime.current();
        if (s != null && !s.isDone()) {
            System.err.println("[rewind] error: the program ended before reaching its checkpoint; it did not resume"
                + " (was its main method or the code on the saved chain changed?)");
            Runtime.getRuntime().halt(RESUME_FAILED);
        }
    }

    /** @return the launched main class, from the launcher's command property, or null if unknown */
    static String mainClass() {
        String command = System.getProperty("sun.java.command", "").trim();
        if (command.isEmpty()) {
            return null;
        }
        String first = command.split(" ")[0];
        if (first.endsWith("com.sun.tools.javac.launcher.Main")) {
            return null; // source-file mode: the main class is the file's first class, compiled in memory
        }
        if (first.endsWith(".jar")) {
            try (JarFile jar = new JarFile(first)) {
                return jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Main-Class");
            } catch (IOException e) {
                return null;
            }
        }
        if (first.endsWith(".java")) {
            return null; // source-file mode: the main class is the file's first class
        }
        return first;
    }
}
