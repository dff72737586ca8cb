package dev.rewind.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Launches the Rewind CLI ({@code dev.rewind.cli.Main}) in a child JVM with this test JVM's class
 * path, the way a user runs {@code rewind run} / {@code rewind resume}, and collects its exit code,
 * stdout (bytes, since the program's stdout is inherited by the CLI) and stderr. Output goes to
 * files in the case directory, so nothing can block on a full pipe and the files stay for
 * debugging.
 */
final class RewindProcess {
    /** Exit code of a program halted by {@code REWIND_HALT_AFTER}. */
    static final int HALT_EXIT = 86;

    private static final AtomicInteger LAUNCHES = new AtomicInteger();
    /** This JVM's class path, given to the CLI JVM; failure messages abbreviate it to $TEST_CP. */
    static final String TEST_CP = System.getProperty("java.class.path");
    private static final String TEST_CP_QUOTED = shellQuote(List.of(TEST_CP));
    private static final AtomicLong MILLIS = new AtomicLong();

    /** What one CLI invocation did. */
    record Result(String label, List<String> command, String haltAfter, int exitCode, byte[] stdout, String stderr,
            long millis, boolean timedOut, String threadDumps) {

        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** @return a readable account for failure messages: command, exit, time, stderr (trimmed), stdout tail */
        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("--- ").append(label).append(": exit ").append(timedOut ? "TIMED OUT" : Integer.toString(exitCode))
                    .append(" in ").append(millis).append(" ms");
            if (haltAfter != null) {
                sb.append(" (REWIND_HALT_AFTER=").append(haltAfter).append(')');
            }
            sb.append("\n    command: ").append(shellQuote(command).replace(TEST_CP_QUOTED, "\"$TEST_CP\"")
                    .replace(TEST_CP, "\"$TEST_CP\"")).append('\n');
            sb.append("    stderr:\n").append(indent(trimMiddle(stderr, 12_000)));
            sb.append("    stdout (").append(stdout.length).append(" bytes, last lines):\n")
                    .append(indent(tailLines(stdoutText(), 15)));
            if (threadDumps != null && !threadDumps.isEmpty()) {
                sb.append("    thread dumps of the hung JVMs:\n").append(indent(trimMiddle(threadDumps, 30_000)));
            }
            return sb.toString();
        }
    }

    private RewindProcess() {
    }

    static Path javaExecutable() {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Path java = bin.resolve("java");
        return Files.isExecutable(java) ? java : bin.resolve("java.exe");
    }

    /** @return the program JVM's class path: the corpus classes and the Rewind agent jar */
    static String programClassPath() {
        return ProgramCatalog.classesRoot() + File.pathSeparator + agentJar();
    }

    /**
     * @return {@code rewind.agentJar} (set by the rewind-cli pom to rewind-core's packaged jar), or, when
     *     unset (an IDE run), wherever dev.rewind.Rewind was loaded from
     */
    static String agentJar() {
        String jar = System.getProperty("rewind.agentJar");
        if (jar != null && !jar.isBlank()) {
            return Path.of(jar).toAbsolutePath().normalize().toString();
        }
        try {
            return Path.of(dev.rewind.Rewind.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate rewind-core; set -Drewind.agentJar", e);
        }
    }

    /**
     * {@code rewind run --store STORE -- java FLAGS -cp CP MAIN ARGS}.
     */
    static Result run(ItSettings s, Path caseDir, String label, Path store, List<String> jvmFlags, String mainClass,
            List<String> args, Integer haltAfter) {
        List<String> cli = new ArrayList<>(List.of("run", "--store", store.toString(), "--"));
        cli.add(javaExecutable().toString());
        cli.addAll(jvmFlags);
        cli.addAll(List.of("-cp", programClassPath(), mainClass));
        cli.addAll(args);
        return cli(s, caseDir, label, cli, haltAfter);
    }

    /** {@code rewind resume --store STORE}. */
    static Result resume(ItSettings s, Path caseDir, String label, Path store, Integer haltAfter) {
        return cli(s, caseDir, label, List.of("resume", "--store", store.toString()), haltAfter);
    }

    static Result cli(ItSettings s, Path caseDir, String label, List<String> cliArgs, Integer haltAfter) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable().toString());
        cmd.addAll(s.cliJvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.rewind.cli.Main");
        cmd.addAll(cliArgs);
        String base = String.format("%04d-%s", LAUNCHES.incrementAndGet(), label.replaceAll("[^A-Za-z0-9=_.-]+", "_"));
        Path out = caseDir.resolve(base + ".stdout");
        Path err = caseDir.resolve(base + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(caseDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove("REWIND_HALT_AFTER");
        if (haltAfter != null) {
            pb.environment().put("REWIND_HALT_AFTER", haltAfter.toString());
        }
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        boolean finished;
        String dumps = null;
        try {
            finished = p.waitFor(s.timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                if (s.threadDumps) {
                    dumps = threadDumps(p);
                }
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + label, e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        MILLIS.addAndGet(millis);
        try {
            return new Result(label, cmd, haltAfter == null ? null : haltAfter.toString(), finished ? p.exitValue() : -1,
                    Files.readAllBytes(out), new String(Files.readAllBytes(err), StandardCharsets.UTF_8), millis, !finished, dumps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Thread dumps (jcmd Thread.print) of the CLI JVM and of its descendants, before they get killed. */
    private static String threadDumps(Process p) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "(no jcmd in " + jcmd.getParent() + ")";
        }
        StringBuilder sb = new StringBuilder();
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add); // the program JVM first: it is the interesting one
        all.add(p.toHandle());
        for (ProcessHandle h : all) {
            sb.append("==== pid ").append(h.pid()).append(' ').append(h.info().command().orElse("?")).append('\n');
            try {
                Process d = new ProcessBuilder(jcmd.toString(), Long.toString(h.pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                d.getOutputStream().close();
                byte[] bytes = d.getInputStream().readAllBytes();
                if (!d.waitFor(15, TimeUnit.SECONDS)) {
                    d.destroyForcibly();
                }
                sb.append(new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                sb.append("(jcmd failed: ").append(e).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return sb.toString();
    }

    /** @return "N CLI invocations, T s" so far */
    static String stats() {
        return LAUNCHES.get() + " CLI invocations (each a CLI JVM plus a program JVM), " + MILLIS.get() / 1000 + " s in total";
    }

    static String shellQuote(List<String> cmd) {
        StringBuilder sb = new StringBuilder();
        for (String a : cmd) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (!a.isEmpty() && a.matches("[A-Za-z0-9_./:=,+@%-]+")) {
                sb.append(a);
            } else {
                sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    static String indent(String s) {
        if (s.isEmpty()) {
            return "      (empty)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            sb.append("      ").append(line).append('\n');
        }
        return sb.toString();
    }

    static String trimMiddle(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, max / 2) + "\n[... " + (s.length() - max) + " chars cut ...]\n" + s.substring(s.length() - max / 2);
    }

    static String tailLines(String s, int n) {
        String[] lines = s.split("\n", -1);
        int from = Math.max(0, lines.length - n);
        StringBuilder sb = new StringBuilder();
        if (from > 0) {
            sb.append("[... ").append(from).append(" lines before ...]\n");
        }
        for (int i = from; i < lines.length; i++) {
            sb.append(lines[i]);
            if (i < lines.length - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
