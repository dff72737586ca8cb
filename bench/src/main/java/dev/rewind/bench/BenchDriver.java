package dev.rewind.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the benchmark parts as child processes on one JDK and prints Markdown tables.
 * Started by {@code bench/run.sh}; see bench/README.md. All children use {@code <java-home>/bin/java};
 * Rewind is started as a user starts it, through the {@code ./rewind} launcher ({@code --rewind}): a
 * copy laid out with frozen copies of the jars, so that a concurrent rebuild cannot change them
 * mid-run. The launcher starts {@code rewind run}'s program JVM itself and everything else through the
 * CLI's JVM ({@code java -cp rewind-core.jar:rewind-cli.jar dev.rewind.cli.Main ...}).
 *
 * <pre>
 * java -cp bench-classes dev.rewind.bench.BenchDriver --java-home H --core C.jar --cli L.jar
 *     --classes DIR --work DIR --out FILE [--reps 5] [--parts abcd] [--agent-opts "OPTS"] [--quick]
 *     [--reps-d 3] [--kryo-cp JARS] [--rewind FROZEN-LAUNCHER]
 * </pre>
 *
 * Part (d) needs the Kryo jars ({@code --kryo-cp}, a class path) and {@link StoreBench} compiled
 * into {@code --classes}.
 */
public final class BenchDriver {
    private static final Pattern RESULT = Pattern.compile("RESULT (\\S+) checksum=(\\S+) work_ns=(\\d+)");
    private static final Pattern PAUSE = Pattern.compile("PAUSE (\\S+) rep=(\\d+) ns=(\\d+) bytes=(\\d+)(?: write_ns=(\\d+))?");

    private final Map<String, String> opt;
    private final Path javaHome;
    private final String java;
    private final Path core;
    private final Path cli;
    /** A frozen copy of the ./rewind launcher, laid out with the frozen jars; null to start the CLI's JVM directly. */
    private final Path script;
    private final Path classes;
    private final Path work;
    private final int reps;
    private final boolean quick;
    private final List<String> agentOpts;
    private final String timeBin;
    private final StringBuilder md = new StringBuilder();
    private final List<String> raw = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();

    private BenchDriver(Map<String, String> opt) {
        this.opt = opt;
        javaHome = Path.of(need(opt, "java-home"));
        java = javaHome.resolve("bin/java").toString();
        core = Path.of(need(opt, "core")).toAbsolutePath();
        cli = Path.of(need(opt, "cli")).toAbsolutePath();
        script = opt.containsKey("rewind") ? Path.of(opt.get("rewind")).toAbsolutePath() : null;
        classes = Path.of(need(opt, "classes")).toAbsolutePath();
        work = Path.of(need(opt, "work")).toAbsolutePath();
        reps = Integer.parseInt(opt.getOrDefault("reps", "5"));
        quick = opt.containsKey("quick");
        String a = opt.getOrDefault("agent-opts", "").trim();
        agentOpts = a.isEmpty() ? List.of() : Arrays.asList(a.split("\\s+"));
        timeBin = Files.isExecutable(Path.of("/usr/bin/time")) && !opt.containsKey("no-cpu") ? "/usr/bin/time" : null;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (k.equals("quick") || k.equals("no-cpu")) {
                opt.put(k, "true");
            } else {
                opt.put(k, args[++i]);
            }
        }
        new BenchDriver(opt).runAll();
    }

    private void runAll() throws IOException {
        Files.createDirectories(work);
        String parts = opt.getOrDefault("parts", "abc");
        md.append("### JDK ").append(javaVersion()).append("\n\n");
        if (parts.contains("a")) {
            partA();
        }
        if (parts.contains("b")) {
            partB();
        }
        if (parts.contains("c")) {
            partC();
        }
        if (parts.contains("d")) {
            partD();
        }
        if (!findings.isEmpty()) {
            md.append("**Failures / findings:**\n\n");
            for (String f : findings) {
                md.append("- ").append(f).append('\n');
            }
            md.append('\n');
        }
        Path out = Path.of(need(opt, "out"));
        Files.writeString(out, md.toString());
        Files.write(Path.of(out + ".raw.tsv"), raw);
        System.out.println();
        System.out.println(md);
    }

    // ---------------------------------------------------------------- part (a)

    private record Program(String main, String arg, String quickArg) {
    }

    private static final List<Program> PROGRAMS = List.of(
        new Program("NumericLoop", "20000000", "2000000"),
        new Program("RecordsBoxing", "90000000", "9000000"),
        new Program("CollectionsChurn", "180", "20"),
        new Program("StreamsPipeline", "220", "20"),
        new Program("Recursion", "16", "2"));

    private void partA() {
        Path store = work.resolve("store-a");
        List<String> variants = new ArrayList<>(List.of("plain", "rewind run"));
        if (!agentOpts.isEmpty()) {
            variants.add("agent only");
        }
        log("part (a): " + PROGRAMS.size() + " programs x " + variants + " x " + reps + " reps, alternated");
        // untimed warm-up of the file cache (JDK, jars, classes)
        for (String v : variants) {
            execA(v, new Program("Recursion", "1", "1"), store);
        }
        md.append("#### (a) Overhead with no checkpoint taken\n\n");
        md.append("Medians of ").append(reps).append(" alternated runs. *wall* = whole process from fork to exit "
            + "(includes JVM start-up and, for `rewind run`, the ./rewind launcher script); *work* = in-program "
            + "System.nanoTime "
            + "around the measured work after the warm-up (excludes all start-up); *cpu* = user+sys of the process "
            + "tree (GNU time).\n\n");
        StringBuilder head = new StringBuilder("| program | plain wall s | rewind wall s | wall ratio | plain work s "
            + "| rewind work s | work ratio | cpu ratio |");
        StringBuilder sep = new StringBuilder("|---|---|---|---|---|---|---|---|");
        if (variants.contains("agent only")) {
            head.append(" agent-only wall ratio | agent-only work ratio |");
            sep.append("---|---|");
        }
        md.append(head).append('\n').append(sep).append('\n');
        double lw = 0;
        double lk = 0;
        double lc = 0;
        double la = 0;
        double lak = 0;
        int n = 0;
        for (Program p : PROGRAMS) {
            Map<String, List<double[]>> byVariant = new LinkedHashMap<>();
            variants.forEach(v -> byVariant.put(v, new ArrayList<>()));
            String checksum = null;
            for (int r = 0; r < reps; r++) {
                List<String> order = new ArrayList<>(variants);
                if (r % 2 == 1) {
                    Collections.reverse(order);
                }
                for (String v : order) {
                    Run run = execA(v, p, store);
                    Matcher m = RESULT.matcher(run.out);
                    if (run.exit != 0 || !m.find()) {
                        finding("(a) " + p.main + " under " + v + " failed (exit " + run.exit + "): " + tail(run.err));
                        continue;
                    }
                    if (checksum == null) {
                        checksum = m.group(2);
                    } else if (!checksum.equals(m.group(2))) {
                        finding("(a) " + p.main + " under " + v + ": checksum " + m.group(2) + " != " + checksum);
                    }
                    double wall = run.wallNanos / 1e9;
                    double wk = Long.parseLong(m.group(3)) / 1e9;
                    byVariant.get(v).add(new double[] {wall, wk, run.cpu});
                    raw.add(String.join("\t", "a", p.main, v, String.valueOf(r), f3(wall), f3(wk), f3(run.cpu)));
                    log(String.format(Locale.ROOT, "  %-16s %-11s rep %d  wall %.3f s  work %.3f s  cpu %.2f s", p.main,
                        v, r, wall, wk, run.cpu));
                }
            }
            double pw = median(byVariant.get("plain"), 0);
            double rw = median(byVariant.get("rewind run"), 0);
            double pk = median(byVariant.get("plain"), 1);
            double rk = median(byVariant.get("rewind run"), 1);
            double pc = median(byVariant.get("plain"), 2);
            double rc = median(byVariant.get("rewind run"), 2);
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | **%.3f** | %.3f | %.3f | **%.3f** | %s |",
                p.main, pw, rw, rw / pw, pk, rk, rk / pk, pc > 0 ? f3(rc / pc) : "n/a"));
            lw += Math.log(rw / pw);
            lk += Math.log(rk / pk);
            lc += pc > 0 ? Math.log(rc / pc) : 0;
            if (variants.contains("agent only")) {
                double aw = median(byVariant.get("agent only"), 0);
                double ak = median(byVariant.get("agent only"), 1);
                md.append(String.format(Locale.ROOT, " %.3f | %.3f |", aw / pw, ak / pk));
                la += Math.log(aw / pw);
                lak += Math.log(ak / pk);
            }
            md.append('\n');
            n++;
        }
        md.append(String.format(Locale.ROOT, "| **geometric mean** | | | **%.3f** | | | **%.3f** | %.3f |",
            Math.exp(lw / n), Math.exp(lk / n), Math.exp(lc / n)));
        if (variants.contains("agent only")) {
            md.append(String.format(Locale.ROOT, " %.3f | %.3f |", Math.exp(la / n), Math.exp(lak / n)));
        }
        md.append("\n\n");
        deleteTree(store);
    }

    private Run execA(String variant, Program p, Path store) {
        String arg = quick ? p.quickArg : p.arg;
        String main = "dev.rewind.bench." + p.main;
        List<String> cmd = new ArrayList<>();
        switch (variant) {
            case "plain":
                cmd.addAll(List.of(java, "-cp", classes.toString(), main, arg));
                break;
            case "rewind run":
                cmd.addAll(rewindCli("run", "--store", store.toString(), "--"));
                cmd.addAll(List.of(java, "-cp", classes.toString(), main, arg));
                break;
            default:
                cmd.add(java);
                if (!startedNatively()) {
                    cmd.add("-javaagent:" + core);
                }
                cmd.addAll(agentOpts);
                cmd.addAll(List.of("-cp", classes.toString(), main, arg));
        }
        return exec(cmd, true);
    }

    /** @return whether rewind run's options start Rewind with its native agent (no -javaagent) */
    private boolean startedNatively() {
        return !agentOpts.isEmpty() && agentOpts.get(0).startsWith("-agentpath:") && agentOpts.get(0).contains("=start=");
    }

    // ---------------------------------------------------------------- part (b)

    private void partB() {
        Path store = work.resolve("store-b");
        deleteTree(store);
        long count = quick ? 16L * 1024 * 1024 : 128L * 1024 * 1024;
        log("part (b): checkpoint of " + (count * 8 >> 20) + " MiB of double[] vs FileChannel write+force, " + reps
            + " reps");
        List<String> cmd = rewindCli("run", "--store", store.toString(), "--");
        cmd.addAll(List.of(java, "-Xmx3g", "-cp", classes.toString(), "dev.rewind.bench.BigStatePause",
            String.valueOf(count), String.valueOf(reps)));
        Run run = exec(cmd, false);
        List<Double> ck = new ArrayList<>();
        List<Double> fc = new ArrayList<>();
        List<Double> fcw = new ArrayList<>();
        List<Double> perRep = new ArrayList<>();
        double[] ckByRep = new double[reps + 1];
        double[] fcByRep = new double[reps + 1];
        long ckBytes = 0;
        long fcBytes = 0;
        String warm = "";
        Matcher m = PAUSE.matcher(run.out);
        while (m.find()) {
            String kind = m.group(1);
            int rep = Integer.parseInt(m.group(2));
            double s = Long.parseLong(m.group(3)) / 1e9;
            long bytes = Long.parseLong(m.group(4));
            raw.add(String.join("\t", "b", kind, String.valueOf(rep), f3(s), String.valueOf(bytes),
                m.group(5) == null ? "" : f3(Long.parseLong(m.group(5)) / 1e9)));
            log("  " + m.group());
            switch (kind) {
                case "ckpt":
                    ck.add(s);
                    ckBytes = bytes;
                    ckByRep[rep] = s;
                    break;
                case "fc":
                    fc.add(s);
                    fcw.add(Long.parseLong(m.group(5)) / 1e9);
                    fcBytes = bytes;
                    fcByRep[rep] = s;
                    break;
                default:
                    warm += String.format(Locale.ROOT, "%s %.2f s (%.0f MB/s); ", kind, s, bytes / 1e6 / s);
            }
        }
        // order within a rep: odd reps checkpoint first, even reps FileChannel first (see BigStatePause)
        List<Double> ckAfterFc = new ArrayList<>();
        List<Double> ckAfterCk = new ArrayList<>();
        List<Double> fcAfterFc = new ArrayList<>();
        List<Double> fcAfterCk = new ArrayList<>();
        for (int r = 1; r <= reps; r++) {
            if (ckByRep[r] > 0 && fcByRep[r] > 0) {
                perRep.add(ckByRep[r] / fcByRep[r]);
            }
            if (r % 2 == 1) {
                (r == 1 ? ckAfterFc : ckAfterCk).add(ckByRep[r]);
                fcAfterCk.add(fcByRep[r]);
            } else {
                ckAfterFc.add(ckByRep[r]);
                fcAfterFc.add(fcByRep[r]);
            }
        }
        md.append("#### (b) Pause of one checkpoint with ").append(count * 8 >> 20).append(" MiB of double[] state\n\n");
        if (run.exit != 0 || ck.isEmpty() || fc.isEmpty()) {
            finding("(b) BigStatePause failed (exit " + run.exit + "): " + tail(run.err) + " " + tail(run.out));
            md.append("FAILED, see findings.\n\n");
            deleteTree(store);
            return;
        }
        double mc = median(ck);
        double mf = median(fc);
        md.append("Same JVM, ").append(reps).append(" alternated reps after one untimed warm-up of each (")
            .append(warm).append("). Page cache: warm (memory faulted in by the warm-up writes; files deleted "
                + "after each rep, reps back to back). MB = 10^6 bytes.\n\n");
        md.append("FileChannel baseline: 64 KiB direct buffer, one `write` per chunk, one `force(true)` at the end "
            + "(Rewind also closes, renames and forces the folder). Per-order medians: checkpoint after a FileChannel "
            + "write ").append(f3(median(ckAfterFc))).append(" s, after a checkpoint ").append(f3(median(ckAfterCk)))
            .append(" s; FileChannel after a FileChannel write ").append(f3(median(fcAfterFc)))
            .append(" s, after a checkpoint ").append(f3(median(fcAfterCk))).append(" s.\n\n");
        md.append("| what | bytes | median s | MB/s | min s | max s |\n|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| Rewind.checkpoint | %d | %.3f | %.0f | %.3f | %.3f |%n", ckBytes, mc,
            ckBytes / 1e6 / mc, min(ck), max(ck)));
        md.append(String.format(Locale.ROOT, "| FileChannel write + force | %d | %.3f | %.0f | %.3f | %.3f |%n",
            fcBytes, mf, fcBytes / 1e6 / mf, min(fc), max(fc)));
        md.append(String.format(Locale.ROOT, "| (of which FileChannel write before force) | | %.3f | %.0f | %.3f | %.3f |%n",
            median(fcw), fcBytes / 1e6 / median(fcw), min(fcw), max(fcw)));
        md.append(String.format(Locale.ROOT, "%n**checkpoint / FileChannel = %.2f** (ratio of medians; median of "
            + "per-rep ratios %.2f)%n%n", mc / mf, median(perRep)));
        deleteTree(store);
    }

    // ---------------------------------------------------------------- part (c)

    private void partC() {
        Path small = work.resolve("store-c-small");
        Path big = work.resolve("store-c-big");
        Path runs = work.resolve("store-c-run");
        Path rawFile = work.resolve("raw-1g.bin");
        deleteTree(small);
        deleteTree(big);
        deleteTree(runs);
        String cp = classes.toString();
        String cpCore = classes + File.pathSeparator + core;
        String probe = "dev.rewind.bench.StartupProbe";
        String bigMode = quick ? "small" : "big";
        log("part (c): time to first instruction, " + reps + " reps");
        // set-up: one checkpoint each, and the raw file for the hand-rolled reference
        Map<String, String> saved = new LinkedHashMap<>();
        for (String[] s : new String[][] {{"small", small.toString()}, {bigMode, big.toString()}}) {
            List<String> cmd = rewindCli("run", "--store", s[1], "--");
            cmd.addAll(List.of(java, "-Xmx3g", "-cp", cp, probe, s[0]));
            Run r = exec(cmd, false);
            Matcher m = Pattern.compile("SAVED bytes=(\\d+) checksum=(\\S+)").matcher(r.out);
            if (r.exit != 0 || !m.find()) {
                finding("(c) set-up checkpoint '" + s[0] + "' failed (exit " + r.exit + "): " + tail(r.err));
                saved.put(s[1], null);
            } else {
                saved.put(s[1], m.group(1));
                log("  saved " + s[0] + " checkpoint: " + m.group(1) + " bytes");
            }
        }
        exec(List.of(java, "-Xmx3g", "-cp", cpCore, probe, "write-raw", rawFile.toString()), false);

        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("plain start -> main", List.of(java, "-Xmx3g", "-cp", cpCore, probe, "first-only"));
        List<String> rr = rewindCli("run", "--store", runs.toString(), "--");
        rr.addAll(List.of(java, "-Xmx3g", "-cp", cp, probe, "first-only"));
        variants.put("rewind run -> main", rr);
        if (!agentOpts.isEmpty()) {
            List<String> ag = new ArrayList<>(List.of(java));
            if (!startedNatively()) {
                ag.add("-javaagent:" + core);
            }
            ag.addAll(agentOpts);
            ag.addAll(List.of("-Xmx3g", "-cp", cp, probe, "first-only"));
            variants.put("agent only (java with rewind run's options, no launcher) -> main", ag);
        }
        if (saved.get(small.toString()) != null) {
            variants.put("rewind resume (small, " + saved.get(small.toString()) + " B) -> resumed",
                rewindCli("resume", "--store", small.toString()));
        }
        String bigKey = "rewind resume (1 GiB, " + saved.get(big.toString()) + " B) -> resumed";
        if (saved.get(big.toString()) != null) {
            variants.put(bigKey, rewindCli("resume", "--store", big.toString()));
        }
        String rawKey = "plain start + read 1 GiB raw file -> loaded";
        if (!quick) {
            variants.put(rawKey, List.of(java, "-Xmx3g", "-cp", cpCore, probe, "load-raw", rawFile.toString()));
        }
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        Map<String, List<Double>> total = new LinkedHashMap<>();
        variants.keySet().forEach(k -> {
            ms.put(k, new ArrayList<>());
            total.put(k, new ArrayList<>());
        });
        List<String> keys = new ArrayList<>(variants.keySet());
        for (String k : keys) { // untimed warm-up of each, file cache and checkpoint pages
            exec(variants.get(k), false);
        }
        for (int r = 0; r < reps; r++) {
            List<String> order = new ArrayList<>(keys);
            Collections.rotate(order, r);
            if (r % 2 == 1) {
                Collections.reverse(order);
            }
            for (String k : order) {
                Run run = exec(variants.get(k), false);
                Matcher m = Pattern.compile("(FIRST_RESUMED|FIRST_MAIN|LOADED) (\\d+)").matcher(run.out);
                String want = k.contains("resume") ? "FIRST_RESUMED" : k.contains("raw") ? "LOADED" : "FIRST_MAIN";
                Long at = null;
                while (m.find()) {
                    if (m.group(1).equals(want)) {
                        at = Long.parseLong(m.group(2));
                    }
                }
                if (run.exit != 0 || at == null) {
                    finding("(c) " + k + " failed (exit " + run.exit + "): " + tail(run.err) + " " + tail(run.out));
                    continue;
                }
                if (run.out.contains("MISMATCH")) {
                    finding("(c) " + k + ": resumed state differs from the saved state");
                }
                double d = (at - run.startMicros) / 1000.0;
                ms.get(k).add(d);
                total.get(k).add(run.wallNanos / 1e6);
                raw.add(String.join("\t", "c", k, String.valueOf(r), f3(d), f3(run.wallNanos / 1e6)));
                log(String.format(Locale.ROOT, "  %-55s rep %d  first instruction at %.1f ms (process %.0f ms)", k, r, d,
                    run.wallNanos / 1e6));
            }
        }
        md.append("#### (c) Time from process start to the first (resumed) instruction\n\n");
        md.append("Wall clock (Instant.now(), epoch µs) printed by the program, minus the driver's wall clock just "
            + "before it started the process; medians of ").append(reps).append(" alternated reps after one untimed "
            + "run of each; checkpoint files in the page cache (just written/read). `rewind` = the ./rewind launcher:"
            + " for `run` it starts the program's JVM itself; for `resume` it starts the CLI's JVM (`java -cp"
            + " rewind-core.jar:rewind-cli.jar dev.rewind.cli.Main`), which then starts the program's JVM."
            + " All program JVMs run with -Xmx3g.\n\n");
        md.append("| start | median ms | min ms | max ms | process total ms | ratio to plain start |\n"
            + "|---|---|---|---|---|---|\n");
        double plain = median(ms.get(keys.get(0)));
        for (String k : keys) {
            List<Double> v = ms.get(k);
            if (v.isEmpty()) {
                md.append("| ").append(k).append(" | failed | | | | |\n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f | **%.2f** |%n", k, median(v), min(v),
                max(v), median(total.get(k)), median(v) / plain));
        }
        if (ms.containsKey(bigKey) && ms.containsKey(rawKey) && !ms.get(bigKey).isEmpty() && !ms.get(rawKey).isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nresume (1 GiB) / plain start + raw read of 1 GiB = **%.2f**%n",
                median(ms.get(bigKey)) / median(ms.get(rawKey))));
        }
        md.append('\n');
        deleteTree(small);
        deleteTree(big);
        deleteTree(runs);
        try {
            Files.deleteIfExists(rawFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- part (d)

    private static final Pattern D_LINE = Pattern.compile("^D (\\S+) (\\S+) rep=(\\d+) total_ns=(\\d+) write_ns=(-?\\d+) "
        + "pause_ns=(\\d+) bytes=(\\d+) added=(\\d+) stored=(\\d+) chunks=(\\d+) cpu_ns=(-?\\d+) gc_ms=(\\d+) load=(\\S+)",
        Pattern.MULTILINE);
    private static final Pattern INFO_LINE = Pattern.compile("^INFO (\\S+?)=(.*)$", Pattern.MULTILINE);

    /** One line of StoreBench's output. */
    private record DRow(String section, String variant, int rep, double total, double write, double pause, long bytes,
            long added, long stored, int chunks, double cpu, long gcMs, String load) {
    }

    private void partD() {
        int repsD = Integer.parseInt(opt.getOrDefault("reps-d", "3"));
        String kryoCp = opt.get("kryo-cp");
        Path dir = work.resolve("store-d");
        Path config = work.resolve("config-d");
        deleteTree(dir);
        md.append("#### (d) The checkpoint store in one JVM (2 GiB of double[], object graphs vs Kryo)\n\n");
        if (kryoCp == null || kryoCp.isBlank()) {
            finding("(d) no --kryo-cp given: run it through bench/run.sh, which resolves Kryo with Maven");
            md.append("NOT RUN, see findings.\n\n");
            return;
        }
        int feature = feature();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.invoke=ALL-UNNAMED"));
        if (feature >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-Xmx12g", "-cp", classes + File.pathSeparator + core + File.pathSeparator + kryoCp,
            "dev.rewind.bench.StoreBench", dir.toString(), String.valueOf(repsD)));
        if (quick) {
            cmd.add("quick");
        }
        // a scratch key: the store signs its manifests with $REWIND_KEY_FILE, else $XDG_CONFIG_HOME/rewind/key
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString(),
            "REWIND_KEY_FILE", config.resolve("rewind").resolve("key").toString());
        log("part (d): checkpoint store in one JVM, " + repsD + " reps, -Xmx12g; " + String.join(" ", cmd));
        Run run = exec(cmd, false, env, true);
        deleteTree(dir);
        deleteTree(config);
        List<DRow> rows = new ArrayList<>();
        Matcher m = D_LINE.matcher(run.out);
        while (m.find()) {
            DRow r = new DRow(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)) / 1e9,
                Long.parseLong(m.group(5)) / 1e9, Long.parseLong(m.group(6)) / 1e9, Long.parseLong(m.group(7)),
                Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), Integer.parseInt(m.group(10)),
                Long.parseLong(m.group(11)) / 1e9, Long.parseLong(m.group(12)), m.group(13));
            rows.add(r);
            raw.add(String.join("\t", "d", r.section, r.variant, String.valueOf(r.rep), f3(r.total), f3(r.write),
                f3(r.pause), String.valueOf(r.bytes), String.valueOf(r.added), String.valueOf(r.chunks), f3(r.cpu),
                String.valueOf(r.gcMs), r.load));
        }
        Map<String, String> info = new LinkedHashMap<>();
        Matcher im = INFO_LINE.matcher(run.out);
        while (im.find()) {
            info.put(im.group(1), im.group(2).trim());
        }
        if (run.exit != 0 || !run.out.contains("DONE")) {
            finding("(d) StoreBench failed (exit " + run.exit + "), see the log above; " + tail(run.out));
        }
        if (rows.isEmpty()) {
            md.append("FAILED, see findings.\n\n");
            return;
        }
        List<String> loads = new ArrayList<>();
        rows.forEach(r -> loads.add(r.load));
        md.append("One JVM (`-Xmx12g`, no agent): `Store.open` → `run.begin` → `GraphWriter.write` → `publish` → "
            + "the published future completes (chunk files, their folders and the manifest forced). "
            + "Medians of ").append(repsD).append(" alternated reps (Rewind first on odd reps, the baseline first on "
            + "even ones) after one untimed warm-up of each kind. Each full Rewind checkpoint and each baseline write starts "
            + "from an empty store (previous run removed, chunks collected, untimed). Rewind writes chunk files of "
            + "256 KiB or more with O_DIRECT; each timed FileChannel write of the arrays follows an untimed one of the "
            + "same bytes (deleted), so that it finds page-cache memory ready. Baseline files are written into the "
            + "store's folder and deleted after each "
            + "rep. Page cache: back-to-back writes after the warm-ups; a rep that needed fresh page-cache memory "
            + "from the host shows as a high cpu figure (sys time of the page faults). Store write buffer "
            + info.getOrDefault("write_buffer", "?") + " B; load average during the part: " + minMax(loads)
            + ". MB = 10^6 bytes.\n\n");

        // (1) full checkpoint of the arrays vs FileChannel
        List<DRow> full = select(rows, "arrays", "rewind-full");
        List<DRow> incr = select(rows, "arrays", "rewind-incr");
        List<DRow> fc = select(rows, "arrays", "filechannel");
        if (!full.isEmpty() && !fc.isEmpty()) {
            md.append("**(d1) Full checkpoint of ").append(info.getOrDefault("arrays", "?"))
                .append("**, random doubles (xorshift64), vs FileChannel write (64 KiB direct buffer) + one "
                    + "`force(true)` of the same byte count.\n\n");
            md.append("| what | bytes | median s [min–max] | MB/s | program waits (pause) s | pause / total | "
                + "cpu s (process) | GC ms |\n|---|---|---|---|---|---|---|---|\n");
            dRow("Rewind full checkpoint, begin → durable", full, full.get(0).bytes);
            md.append(String.format(Locale.ROOT, "| … of which GraphWriter.write returned | | %.3f | | | | | |%n",
                median(col(full, DRow::write))));
            dRow("FileChannel write + force", fc, fc.get(0).bytes);
            md.append(String.format(Locale.ROOT, "| … of which written, before force | | %.3f | %.0f | | | | |%n",
                median(col(fc, DRow::write)), fc.get(0).bytes / 1e6 / median(col(fc, DRow::write))));
            double ratio = (median(col(fc, DRow::total)) / fc.get(0).bytes) / (median(col(full, DRow::total))
                / full.get(0).bytes);
            md.append(String.format(Locale.ROOT, "%n**Rewind MB/s / FileChannel MB/s = %.2f** (target ≥ 0.8; median of "
                + "per-rep ratios %.2f). Warm-ups: %s.%n%n", ratio, perRepRatio(fc, full), warmups(rows, "arrays")));
            md.append("Per rep, Rewind full / FileChannel, seconds (process cpu s): ");
            for (DRow f : full) {
                for (DRow b : fc) {
                    if (b.rep == f.rep) {
                        md.append(String.format(Locale.ROOT, "rep %d %.2f (%.1f) / %.2f (%.1f); ", f.rep, f.total, f.cpu,
                            b.total, b.cpu));
                    }
                }
            }
            md.append("\n\n");
        }
        // (2) the second checkpoint after a 1 % change
        if (!full.isEmpty() && !incr.isEmpty()) {
            md.append("**(d2) Second checkpoint after changing 1 % of the elements**: ").append(info.getOrDefault("change",
                "?")).append(". A changed range marks every 4 MiB piece it touches (pieces are counted from each "
                + "array's start) as new.\n\n");
            md.append("| checkpoint | median s [min–max] | pause s | bytes added (chunk files written) "
                + "| chunks in its manifest | cpu s |\n|---|---|---|---|---|---|\n");
            for (Object[] k : new Object[][] {{"full (empty store)", full}, {"second, 1 % changed", incr}}) {
                @SuppressWarnings("unchecked")
                List<DRow> l = (List<DRow>) k[1];
                md.append(String.format(Locale.ROOT, "| %s | %.3f [%.3f–%.3f] | %.3f | %d | %d | %.2f |%n", k[0],
                    median(col(l, DRow::total)), min(col(l, DRow::total)), max(col(l, DRow::total)),
                    median(col(l, DRow::pause)), l.get(0).added, l.get(0).chunks, median(col(l, DRow::cpu))));
            }
            md.append(String.format(Locale.ROOT, "%n**second / full: time %.3f (target ≤ 0.1), bytes added %.4f "
                + "(target ≤ 0.1)**%n%n", median(col(incr, DRow::total)) / median(col(full, DRow::total)),
                (double) incr.get(0).added / full.get(0).added));
        }
        // (3) object graphs vs Kryo
        List<String> workloads = new ArrayList<>();
        for (String w : new String[] {"small", "map", "graph"}) {
            if (!select(rows, w, "rewind").isEmpty() && !select(rows, w, "kryo").isEmpty()) {
                workloads.add(w);
            }
        }
        if (!workloads.isEmpty()) {
            md.append("**(d3) Object graphs: Rewind (GraphWriter into the store, until durable) vs Kryo 5.6.2** "
                + "(registration off, references on, DefaultInstantiatorStrategy with StdInstantiatorStrategy "
                + "fallback; `Output` (64 KiB) over `Channels.newOutputStream(FileChannel)`, flush, `force(true)`), "
                + "same objects, same JVM, both on a thread with a 1 GiB stack (Kryo recurses along references: on "
                + "the 1 M-node graph it overflowed 1, 8 and 64 MiB stacks and passed with 256 MiB; Rewind's "
                + "GraphWriter walks iteratively). "
                + "MB/s are over *Rewind's raw checkpoint bytes* for both columns (the same amount of state); "
                + "heap = used heap after GC with the state minus before it.\n\n");
            md.append("| state | heap MB | Rewind raw MB | Kryo MB | Rewind s [min–max] | Rewind pause s | "
                + "Kryo s [min–max] | Rewind MB/s | Kryo MB/s | **Kryo time / Rewind time** | cpu s Rewind / Kryo |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (String w : workloads) {
                List<DRow> rw = select(rows, w, "rewind");
                List<DRow> kr = select(rows, w, "kryo");
                double rs = median(col(rw, DRow::total));
                double ks = median(col(kr, DRow::total));
                long size = rw.get(0).bytes;
                String heap = info.containsKey("heap_" + w) ? String.format(Locale.ROOT, "%.1f",
                    Long.parseLong(info.get("heap_" + w)) / 1e6) : "?";
                md.append(String.format(Locale.ROOT, "| %s: %s | %s | %.1f | %.1f | %.3f [%.3f–%.3f] | %.3f | "
                    + "%.3f [%.3f–%.3f] | %.0f | %.0f | **%.2f** | %.2f / %.2f |%n", w,
                    info.getOrDefault("objects_" + w, ""), heap, size / 1e6, kr.get(0).bytes / 1e6, rs,
                    min(col(rw, DRow::total)), max(col(rw, DRow::total)), median(col(rw, DRow::pause)), ks,
                    min(col(kr, DRow::total)), max(col(kr, DRow::total)), size / 1e6 / rs, size / 1e6 / ks, ks / rs,
                    median(col(rw, DRow::cpu)), median(col(kr, DRow::cpu))));
            }
            md.append("\nKryo time / Rewind time ≥ 1 means Rewind is at least as fast (target). Warm-ups: ");
            for (String w : workloads) {
                md.append(w).append(": ").append(warmups(rows, w)).append("; ");
            }
            md.append("\n\n");
        }
        // (4) pause vs total
        md.append("**(d4) What the program waits (begin → publish returned) vs the whole write (→ durable)**; "
            + "the baselines are synchronous, their pause is their total.\n\n");
        md.append("| Rewind checkpoint | pause s | GraphWriter.write part s | total s | pause / total |\n"
            + "|---|---|---|---|---|\n");
        for (String[] k : new String[][] {{"arrays", "rewind-full"}, {"arrays", "rewind-incr"}, {"small", "rewind"},
            {"map", "rewind"}, {"graph", "rewind"}}) {
            List<DRow> l = select(rows, k[0], k[1]);
            if (l.isEmpty()) {
                continue;
            }
            double p = median(col(l, DRow::pause));
            double t = median(col(l, DRow::total));
            md.append(String.format(Locale.ROOT, "| %s %s | %.3f | %.3f | %.3f | %.2f |%n", k[0], k[1], p,
                median(col(l, DRow::write)), t, p / t));
        }
        md.append('\n');
    }

    private void dRow(String what, List<DRow> l, long bytes) {
        double t = median(col(l, DRow::total));
        double p = median(col(l, DRow::pause));
        md.append(String.format(Locale.ROOT, "| %s | %d | %.3f [%.3f–%.3f] | %.0f | %.3f | %.2f | %.2f | %.0f |%n", what,
            bytes, t, min(col(l, DRow::total)), max(col(l, DRow::total)), bytes / 1e6 / t, p, p / t,
            median(col(l, DRow::cpu)), median(col(l, r -> (double) r.gcMs))));
    }

    private static List<DRow> select(List<DRow> rows, String section, String variant) {
        List<DRow> out = new ArrayList<>();
        for (DRow r : rows) {
            if (r.section.equals(section) && r.variant.equals(variant)) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<Double> col(List<DRow> rows, java.util.function.ToDoubleFunction<DRow> f) {
        List<Double> out = new ArrayList<>();
        rows.forEach(r -> out.add(f.applyAsDouble(r)));
        return out;
    }

    /** Median over reps of baseline time / Rewind time (so above 1 = Rewind faster), by rep number. */
    private static double perRepRatio(List<DRow> baseline, List<DRow> rewind) {
        List<Double> v = new ArrayList<>();
        for (DRow b : baseline) {
            for (DRow r : rewind) {
                if (r.rep == b.rep) {
                    v.add((b.total / b.bytes) / (r.total / r.bytes));
                }
            }
        }
        return median(v);
    }

    private static String warmups(List<DRow> rows, String section) {
        StringBuilder sb = new StringBuilder();
        for (DRow r : rows) {
            if (r.section.equals(section) && r.rep == 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f s (%.0f MB/s)",
                    r.variant.substring("warm-".length()), r.total, r.bytes / 1e6 / r.total));
            }
        }
        return sb.toString();
    }

    private static String minMax(List<String> loads) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (String s : loads) {
            try {
                double d = Double.parseDouble(s);
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            } catch (NumberFormatException e) {
                // "?"
            }
        }
        return hi == 0 ? "?" : String.format(Locale.ROOT, "%.1f–%.1f", lo, hi);
    }

    /** @return the JDK's feature version, e.g. 17 */
    private int feature() {
        Run r = exec(List.of(java, "-version"), false);
        Matcher m = Pattern.compile("version \"(\\d+)").matcher(r.err);
        return m.find() ? Integer.parseInt(m.group(1)) : 17;
    }

    // ---------------------------------------------------------------- helpers

    /** @return {@code rewind args...} as a user runs it: the ./rewind launcher (see {@link #script}) */
    private List<String> rewindCli(String... args) {
        List<String> cmd = script != null ? new ArrayList<>(List.of(script.toString()))
            : new ArrayList<>(List.of(java, "-cp", core + File.pathSeparator + cli, "dev.rewind.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Run(int exit, long wallNanos, long startMicros, String out, String err, double cpu) {
    }

    private Run exec(List<String> command, boolean cpu) {
        return exec(command, cpu, Map.of(), false);
    }

    /**
     * @param env variables set in the child's environment
     * @param inheritErr let the child's stderr through (progress of a long child); {@code err} is then empty
     */
    private Run exec(List<String> command, boolean cpu, Map<String, String> env, boolean inheritErr) {
        Path out = work.resolve("child.out");
        Path err = work.resolve("child.err");
        Path time = work.resolve("child.time");
        List<String> cmd = new ArrayList<>();
        if (cpu && timeBin != null) {
            cmd.addAll(List.of(timeBin, "-f", "%U %S", "-o", time.toString()));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
            .redirectError(inheritErr ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(err.toFile()));
        pb.environment().remove("REWIND_HALT_AFTER");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        // for the launcher: the frozen jars as they are, and this JDK for the CLI's own JVM
        pb.environment().put("REWIND_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().putAll(env);
        try {
            Instant start = Instant.now();
            long t0 = System.nanoTime();
            Process p = pb.start();
            int rc = p.waitFor();
            long t1 = System.nanoTime();
            double c = 0;
            if (cpu && timeBin != null && Files.exists(time)) {
                String[] lines = Files.readString(time).trim().split("\n");
                String[] f = lines[lines.length - 1].trim().split("\\s+");
                try {
                    c = Double.parseDouble(f[0]) + Double.parseDouble(f[1]);
                } catch (RuntimeException e) {
                    c = 0;
                }
            }
            long startMicros = start.getEpochSecond() * 1_000_000L + start.getNano() / 1_000;
            Run r = new Run(rc, t1 - t0, startMicros, Files.readString(out),
                inheritErr || !Files.exists(err) ? "" : Files.readString(err), c);
            if (rc != 0) {
                log("  [exit " + rc + "] " + String.join(" ", command) + "\n" + tail(r.err));
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String javaVersion() {
        Run r = exec(List.of(java, "-version"), false);
        return r.err.lines().findFirst().orElse("?").trim() + " (" + javaHome + ")";
    }

    private void finding(String s) {
        findings.add(s);
        log("FINDING: " + s);
    }

    private static String tail(String s) {
        String t = s.strip();
        List<String> lines = t.lines().toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }

    private static void log(String s) {
        System.err.println(s);
    }

    private static String need(Map<String, String> opt, String k) {
        String v = opt.get(k);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + k);
        }
        return v;
    }

    private static double median(List<double[]> rows, int col) {
        List<Double> v = new ArrayList<>();
        rows.forEach(r -> v.add(r[col]));
        return median(v);
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().min(Comparator.naturalOrder()).orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().max(Comparator.naturalOrder()).orElse(Double.NaN);
    }

    private static String f3(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
