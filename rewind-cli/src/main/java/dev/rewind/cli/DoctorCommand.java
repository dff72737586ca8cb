package dev.rewind.cli;

import dev.rewind.internal.agent.AgentOptions;
import dev.rewind.internal.agent.NativeAgentLibrary;
import dev.rewind.internal.agent.Probe;
import dev.rewind.internal.launch.JavaCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rewind doctor}: checks the JVM, the agent and the escape-analysis route. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check that this machine's JVM can run Rewind, and say which capture route is active.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Override
    public Integer call() throws IOException, InterruptedException {
        boolean ok = true;
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
            + " (" + System.getProperty("java.home") + ")");
        int feature = Runtime.version().feature();
        if (feature < 17) {
            System.out.println("  PROBLEM: Rewind needs JDK 17 or newer");
            ok = false;
        }
        Path jar = Launcher.agentJar();
        System.out.println("agent jar: " + jar);
        System.out.println("store: " + store.open().root() + (store.store == null ? " (default)" : ""));
        // check the route in a real child JVM started the way `rewind run` starts programs
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> probe = List.of(java, "-cp", jar.toString(), Probe.class.getName());
        List<String> cmd = Launcher.command(JavaCommand.parse(probe), AgentOptions.of(null, null, null), true);
        // Rewind's options sit between the java launcher and the probe's own
        System.out.println("JVM options added by rewind run: "
            + String.join(" ", cmd.subList(1, cmd.size() - (probe.size() - 1))));
        NativeAgentLibrary.warning().ifPresent(w -> System.out.println("  WARNING: " + w));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int code = p.waitFor();
        for (String line : out.split("\n")) {
            System.out.println(line);
        }
        if (code != 0) {
            System.out.println("  PROBLEM: a JVM started with Rewind's options failed (exit " + code + ")");
            ok = false;
        }
        System.out.println(ok ? "OK: Rewind can run here." : "Rewind cannot run correctly here; see above.");
        return ok ? 0 : 1;
    }

}
