package dev.rewind.internal.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link StoreFaultWriter} child as the test sees it: its output lines, time-stamped as they
 * arrive, and a SIGKILL ({@link Process#destroyForcibly()} on Linux) that waits until the process is
 * reaped and its output read to the end.
 */
final class FaultWriterProcess {
    /** How long any one line may take: only a broken child gets near it. */
    private static final long LINE_TIMEOUT_SECONDS = 120;

    /** A line the child printed, and when it arrived ({@link System#nanoTime()}). */
    record Line(String text, long nanos) {
        int sequence() {
            return Integer.parseInt(text.split(" ")[1]);
        }
    }

    private static final Line END = new Line("<end of output>", 0);

    final long startNanos;
    private final Process process;
    private final BlockingQueue<Line> queue = new LinkedBlockingQueue<>();
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private FaultWriterProcess(Process process, long startNanos) {
        this.process = process;
        this.startNanos = startNanos;
        this.reader = new Thread(this::pump, "fault-writer-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a writer of run {@code runId}, signing with the key in {@code keyFile}. */
    static FaultWriterProcess start(Path store, String runId, Path keyFile, int keep, double sequential,
            int pauseMillis, long seed) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // a short life: C2 would cost more than it saves
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StoreFaultWriter.class.getName());
        command.add(store.toString());
        command.add(runId);
        command.add(Integer.toString(keep));
        command.add(Double.toString(sequential));
        command.add(Integer.toString(pauseMillis));
        command.add(Long.toString(seed));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("REWIND_KEY_FILE", keyFile.toString());
        pb.environment().remove("REWIND_STORE");
        try {
            long t = System.nanoTime();
            return new FaultWriterProcess(pb.start(), t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String s; (s = in.readLine()) != null; ) {
                queue.add(new Line(s, System.nanoTime()));
            }
        } catch (IOException e) {
            queue.add(new Line("<output failed: " + e + ">", System.nanoTime()));
        } finally {
            queue.add(END);
        }
    }

    /**
     * Waits for the child's {@code n}-th line of this life that starts with {@code prefix}
     * ({@code "writing "}, {@code "published "}).
     *
     * @return when it arrived
     */
    long await(String prefix, int n) throws InterruptedException {
        int count = 0;
        for (Line l : lines) {
            if (l.text().startsWith(prefix) && ++count == n) {
                return l.nanos();
            }
        }
        while (true) {
            Line l = take();
            if (l.text().startsWith(prefix) && ++count == n) {
                return l.nanos();
            }
        }
    }

    private Line take() throws InterruptedException {
        if (ended) {
            fail("writer child ended before it was killed:\n" + transcript());
        }
        Line l = queue.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (l == null) {
            fail("writer child printed nothing for " + LINE_TIMEOUT_SECONDS + " s:\n" + transcript());
        }
        if (l == END) {
            ended = true;
            fail("writer child ended before it was killed (exit " + process.waitFor() + "):\n" + transcript());
        }
        lines.add(l);
        if (l.text().startsWith("failed ") || l.text().startsWith("error ")) {
            fail("writer child reported a failure:\n" + transcript());
        }
        return l;
    }

    /** Sends SIGKILL, reaps the process and reads the rest of its output. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            fail("writer child " + process.pid() + " survived SIGKILL");
        }
        reader.join(TimeUnit.SECONDS.toMillis(LINE_TIMEOUT_SECONDS));
        for (Line l; !ended && (l = queue.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) != END; ) {
            if (l == null) {
                fail("output of killed writer child " + process.pid() + " did not end");
            }
            lines.add(l);
        }
        ended = true;
        for (Line l : lines) {
            if (l.text().startsWith("failed ") || l.text().startsWith("error ")) {
                fail("writer child reported a failure:\n" + transcript());
            }
        }
    }

    /** Kills the child, if it still runs, for cleaning up after a failure: no checks. */
    void destroy() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    /** @return the lines read so far */
    List<Line> lines() {
        return lines;
    }

    /** @return the sequences it said it began, in order */
    Set<Integer> writing() {
        return sequences("writing ");
    }

    /** @return the sequences whose data it said it handed over, in order */
    Set<Integer> handedOver() {
        return sequences("publishing ");
    }

    /** @return the sequences it said were published, in order */
    Set<Integer> published() {
        return sequences("published ");
    }

    private Set<Integer> sequences(String prefix) {
        Set<Integer> out = new LinkedHashSet<>();
        for (Line l : lines) {
            if (l.text().startsWith(prefix) && l.text().substring(prefix.length()).matches("[0-9]+")) {
                out.add(l.sequence());
            }
        }
        return out;
    }

    /** @return when it printed {@code text}, or -1 */
    long timeOf(String text) {
        for (Line l : lines) {
            if (l.text().equals(text)) {
                return l.nanos();
            }
        }
        return -1;
    }

    String transcript() {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            b.append("  ").append(l.text()).append('\n');
        }
        return b.toString();
    }
}
