package dev.rewind.internal.agent;

import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives Rewind's serializer the JDK access it needs (jdk.internal.misc exported, java.lang,
 * java.util and java.lang.invoke open) in a JVM started without Rewind's agent, for the
 * explicit state and pipeline APIs.
 *
 * <p>With the JVM options of {@link #FLAGS}, or under {@code rewind run} with Rewind's Java agent,
 * there is nothing to do. Under {@code rewind run} with the native agent, java.base is opened through
 * it (JVMTI) on the first call, not before the program's main. Otherwise Rewind's own jar is loaded as an agent into this JVM through the attach API, from a
 * short-lived helper process (a JVM may not attach to itself by default). That costs a few hundred
 * milliseconds once, and JDK 21+ prints a warning about a dynamically loaded agent; the options
 * avoid both.
 */
public final class JdkAccess {
    /** The JVM options that make the attach unnecessary. */
    public static final String FLAGS = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED "
        + "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED "
        + "--add-opens java.base/java.lang.invoke=ALL-UNNAMED";
    /** The agent argument that asks {@link AgentMain#agentmain} only to open java.base. */
    static final String OPEN_ONLY = "open-java-base";
    private static RewindException failure;

    private JdkAccess() {
    }

    /** @return whether the serializer can work in this JVM as it is */
    public static boolean granted() {
        Module base = Object.class.getModule();
        Module rewind = JdkAccess.class.getModule();
        return base.isExported("jdk.internal.misc", rewind) && base.isOpen("java.lang", rewind)
            && base.isOpen("java.util", rewind) && base.isOpen("java.lang.invoke", rewind);
    }

    /**
     * Makes sure the serializer can work, attaching Rewind's agent if needed (once per JVM).
     *
     * @throws RewindException saying which JVM options to add, when the access cannot be had
     */
    public static synchronized void ensure() {
        if (granted()) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        NativeInstrumentation inst = NativeInstrumentation.get();
        if (inst != null) {
            ModuleAccess.openJavaBase(inst); // Rewind's native agent started this JVM: no attach needed
            return;
        }
        try {
            attach();
        } catch (RewindException e) {
            failure = e;
            throw e;
        }
        if (!granted()) {
            failure = problem("the agent was loaded but java.base is still closed to Rewind", null);
            throw failure;
        }
    }

    private static void attach() {
        Path jar;
        try {
            jar = Path.of(JdkAccess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw problem("cannot locate Rewind's jar", e);
        }
        if (!Files.isRegularFile(jar)) {
            throw problem("Rewind's classes come from the folder " + jar + ", not from its jar", null);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", jar.toString(),
            Attacher.class.getName(), Long.toString(ProcessHandle.current().pid()), jar.toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw problem("attaching Rewind's agent did not finish within 60 s", null);
            }
            if (p.exitValue() != 0) {
                throw problem("attaching Rewind's agent failed: " + new String(out, StandardCharsets.UTF_8).trim(), null);
            }
        } catch (IOException e) {
            throw problem("cannot start " + java + " to attach Rewind's agent", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw problem("interrupted while attaching Rewind's agent", e);
        }
    }

    private static RewindException problem(String what, Throwable cause) {
        return new RewindException("Rewind's state and pipeline APIs need access to JDK internals to save objects, and "
            + what + (cause != null ? " (" + cause + ")" : "") + ". Start the JVM with " + FLAGS
            + " (or run the program under `rewind run`).", cause);
    }
}
