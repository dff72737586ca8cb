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
 * Runs the three benchmark parts as child processes on one JDK and prints Markdown tables.
 * Started by {@code bench/run.sh}; see bench/README.md. All children use {@code <java-home>/bin/java};
 * the Rewind CLI is started exactly as the {@code ./rewind} launcher starts it
 * ({@code java -cp rewind-core.jar:rewind-cli.jar dev.rewind.cli.Main ...}), from frozen copies of the
 * jars so that a concurrent rebuild cannot change them mid-run.
 *
 * <pre>
 * java -cp bench-classes dev.rewind.bench.BenchDriver --java-home H --core C.jar --cli L.jar
 *     --classes DIR --work DIR --out FILE [--reps 5] [--parts abc] [--agent-opts "OPTS"] [--quick]
 * </pre>
 */
public final class BenchDriver {
    private static final Pattern RESULT = Pattern.compile("RESULT (\\S+) checksum=(\\S+) work_ns=(\\d+)");
    private static final Pattern PAUSE = Pattern.compile("PAUSE (\\S+) rep=(\\d+) ns=(\\d+) bytes=(\\d+)(?: write_ns=(\\d+))?");

    private final Map<String, String> opt;
    private final Path javaHome;
    private final String java;
    private final Path core;
    private final Path cli;
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
            + "(includes JVM start-up; for `rewind run` also the CLI's own JVM); *work* = in-program System.nanoTime "
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
                cmd.add("-javaagent:" + core);
                cmd.addAll(agentOpts);
                cmd.addAll(List.of("-cp", classes.toString(), main, arg));
        }
        return exec(cmd, true);
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
            List<String> ag = new ArrayList<>(List.of(java, "-javaagent:" + core));
            ag.addAll(agentOpts);
            ag.addAll(List.of("-Xmx3g", "-cp", cp, probe, "first-only"));
            variants.put("agent only (java -javaagent -agentpath, no CLI) -> main", ag);
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
            + "run of each; checkpoint files in the page cache (just written/read). `rewind` = the CLI JVM "
            + "(`java -cp rewind-core.jar:rewind-cli.jar dev.rewind.cli.Main`) which then starts the program's JVM."
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

    // ---------------------------------------------------------------- helpers

    private List<String> rewindCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", core + File.pathSeparator + cli,
            "dev.rewind.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Run(int exit, long wallNanos, long startMicros, String out, String err, double cpu) {
    }

    private Run exec(List<String> command, boolean cpu) {
        Path out = work.resolve("child.out");
        Path err = work.resolve("child.err");
        Path time = work.resolve("child.time");
        List<String> cmd = new ArrayList<>();
        if (cpu && timeBin != null) {
            cmd.addAll(List.of(timeBin, "-f", "%U %S", "-o", time.toString()));
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("REWIND_HALT_AFTER");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
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
            Run r = new Run(rc, t1 - t0, startMicros, Files.readString(out), Files.readString(err), c);
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
