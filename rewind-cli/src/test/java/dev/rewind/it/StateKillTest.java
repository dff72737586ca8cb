package dev.rewind.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explicit state examples ({@code dev.rewind.examples.state}) killed at random moments and
 * started again until they finish: the last line must be the one of an uninterrupted run, and every
 * restart must go on from a version the previous JVM saved: never from before its last completed
 * save (a lost save), never from a version it had not begun to save, never a load failure (a torn
 * version). Some kills come right after the example printed "saving", that is during
 * {@code save()}; the first JVM of each series runs without the JDK access options, so that the
 * example attaches Rewind's agent itself.
 *
 * <p>{@code -Drewind.state.kills=N} (default 8) kills per example, {@code -Drewind.state.seed=S}
 * repeats a series.
 */
class StateKillTest {
    private static final int KILLS = Integer.getInteger("rewind.state.kills", 8);
    private static final long SEED = Long.getLong("rewind.state.seed", System.nanoTime());
    private static final String[] FACTORIAL = {"250", "4"};
    private static final String[] COUNTER = {"20000", "500", "100"};
    private static final Pattern PROGRESS = Pattern.compile("(resumed at|saving|saved) (step|iteration) (\\d+)");
    private static final Map<String, String> REFERENCES = new HashMap<>();
    /** How long the killed runs' program takes uninterrupted, to aim the delayed kills inside it. */
    private static final Map<String, Long> DURATIONS = new HashMap<>();

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    /** @return the last line of an uninterrupted run (the Counter's without the JDK access options) */
    private static synchronized String reference(String example, String count) throws Exception {
        String key = example + " " + count;
        if (!REFERENCES.containsKey(key)) {
            Path d = Files.createDirectories(shared.resolve(example + "-" + count));
            boolean attach = example.equals("Counter");
            ExampleJvm jvm = ExampleJvm.start(d, "reference", !attach, example, example.equals("Counter")
                ? new String[] {count, "5000", "0"} : new String[] {count, "0"});
            String last = null;
            for (String line; (line = jvm.nextLine()) != null; ) {
                last = line;
            }
            assertEquals(0, jvm.exit(), jvm.describe());
            if (attach) {
                assertTrue(jvm.stderr().isEmpty() || !jvm.stderr().contains("Exception"), jvm.describe());
            }
            REFERENCES.put(key, last);
        }
        return REFERENCES.get(key);
    }

    @Test
    void factorialKilledAtRandomMomentsEndsWithTheSameResult() throws Exception {
        killUntilDone("Factorial", FACTORIAL);
    }

    @Test
    void counterKilledAtRandomMomentsEndsWithTheSameResult() throws Exception {
        killUntilDone("Counter", COUNTER);
    }

    /** @return the wall time of one uninterrupted run with {@code args} and the JDK access options, in ms */
    private static synchronized long duration(String example, String[] args) throws Exception {
        String key = example + " " + String.join(" ", args);
        if (!DURATIONS.containsKey(key)) {
            Path d = Files.createDirectories(shared.resolve(example + "-timing-" + DURATIONS.size()));
            long start = System.nanoTime();
            ExampleJvm jvm = ExampleJvm.start(d, "timing", true, example, args);
            while (jvm.nextLine() != null) {
                // drain
            }
            assertEquals(0, jvm.exit(), jvm.describe());
            DURATIONS.put(key, (System.nanoTime() - start) / 1_000_000);
        }
        return DURATIONS.get(key);
    }

    private void killUntilDone(String example, String[] args) throws Exception {
        String expected = reference(example, args[0]);
        Random random = new Random(SEED ^ example.hashCode());
        String context = example + " (seed " + SEED + ")";
        long saved = -1;
        long saving = -1;
        int kills = 0;
        int midSave = 0;
        for (int run = 0; ; run++) {
            assertTrue(run < KILLS + 20, context + ": did not finish after " + run + " runs");
            // somewhere in the first half of an uninterrupted run's time, whatever this machine's speed (the
            // examples work a few ms per step, so that the kills land before they are done); timed up front
            long span = Math.max(50, duration(example, args) / 2);
            ExampleJvm jvm = ExampleJvm.start(dir, example + "-" + run, run != 0, example, args);
            boolean kill = kills < KILLS;
            int how = random.nextInt(3); // 0: after the k-th "saving" line, 1: after a delay, 2: after the k-th "saved" line
            int k = 1 + random.nextInt(3);
            if (kill && how == 1) {
                CompletableFuture.delayedExecutor(random.nextInt((int) Math.min(span, Integer.MAX_VALUE)),
                    TimeUnit.MILLISECONDS).execute(jvm.process::destroyForcibly);
            }
            int savingLines = 0;
            int savedLines = 0;
            long savingAtKill = -1;
            String last = null;
            for (String line; (line = jvm.nextLine()) != null; ) {
                last = line;
                Matcher m = PROGRESS.matcher(line);
                String where = context + ", run " + run + ", line '" + line + "' after the saves up to " + saved
                    + " and the one of " + saving + "\n" + jvm.describe();
                if (line.equals("starting")) {
                    assertEquals(-1, saved, "a completed save was lost: " + where);
                } else if (m.matches() && m.group(1).equals("resumed at")) {
                    long n = Long.parseLong(m.group(3));
                    assertTrue(n >= saved, "went back before a completed save: " + where);
                    assertTrue(n <= saving, "resumed from a version that was never being saved: " + where);
                    if (run > 0 && n < saving) {
                        midSave++;
                    }
                } else if (m.matches() && m.group(1).equals("saving")) {
                    saving = Math.max(saving, Long.parseLong(m.group(3)));
                    if (kill && how == 0 && ++savingLines == k) {
                        savingAtKill = saving;
                        jvm.process.destroyForcibly();
                    }
                } else if (m.matches() && m.group(1).equals("saved")) {
                    saved = Math.max(saved, Long.parseLong(m.group(3)));
                    if (kill && how == 2 && ++savedLines == k) {
                        jvm.process.destroyForcibly();
                    }
                }
            }
            int exit = jvm.exit();
            String err = jvm.stderr();
            assertFalse(err.contains("Exception") || err.contains("damaged"), context + ", run " + run + ": "
                + jvm.describe());
            if (exit == 0) {
                assertEquals(expected, last, context + ", run " + run + ": " + jvm.describe());
                break;
            }
            assertTrue(kill, context + ", run " + run + " failed with exit " + exit + ": " + jvm.describe());
            assertEquals(137, exit, context + ", run " + run + ": " + jvm.describe());
            kills++;
        }
        assertTrue(kills >= Math.min(KILLS, 3), context + ": only " + kills + " kills landed");
        System.out.println("[state kill test] " + context + ": " + kills + " kills, " + midSave
            + " of them before a save had completed");
    }

    @Test
    void sigtermSavesTheCurrentStateAndExitsWith143() throws Exception {
        String expected = reference("Counter", "20000");
        ExampleJvm jvm = ExampleJvm.start(dir, "term", true, "Counter", "20000", "5000", "100");
        for (String line; !(line = jvm.nextLine()).equals("saved iteration 5000"); ) {
            assertNotEquals("resumed", line.split(" ")[0], jvm.describe());
        }
        Thread.sleep(300); // let it get well past the last save: nothing to await, just iterations to run
        jvm.process.destroy();
        while (jvm.nextLine() != null) {
            // drain
        }
        assertEquals(143, jvm.exit(), jvm.describe());
        assertTrue(jvm.stderr().contains("[rewind] SIGTERM: saved state 'counter-20000' (version 2)"), jvm.describe());

        ExampleJvm again = ExampleJvm.start(dir, "after-term", true, "Counter", "20000", "5000", "100");
        String first = again.nextLine();
        Matcher m = PROGRESS.matcher(first);
        assertTrue(m.matches() && m.group(1).equals("resumed at"), again.describe());
        long n = Long.parseLong(m.group(3));
        assertTrue(n > 5000 && n < 10000, "resumed at " + n + ", not after the periodic save at 5000\n" + again.describe());
        String last = first;
        for (String line; (line = again.nextLine()) != null; ) {
            last = line;
        }
        assertEquals(0, again.exit(), again.describe());
        assertEquals(expected, last);
    }

    @Test
    void ctrlCWithoutATerminalStopsWithoutSaving() throws Exception {
        ExampleJvm jvm = ExampleJvm.start(dir, "int", true, "Counter", "20000", "5000", "100");
        while (!jvm.nextLine().equals("saved iteration 5000")) {
            // wait for the first save
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(jvm.process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        while (jvm.nextLine() != null) {
            // drain
        }
        assertEquals(130, jvm.exit(), jvm.describe());
        assertFalse(jvm.stderr().contains("[rewind]"), jvm.describe());
        ExampleJvm again = ExampleJvm.start(dir, "after-int", true, "Counter", "20000", "5000", "100");
        assertEquals("resumed at iteration 5000", again.nextLine(), again.describe());
        again.process.destroyForcibly();
        again.exit();
    }

    @Test
    void ctrlCInATerminalAsksAndSavesAndStops() throws Exception {
        Assumptions.assumeTrue(ExampleJvm.canMakeTerminals(), "needs util-linux script for a pseudo-terminal");
        // saves only at iteration 50000: whatever is saved comes from the Ctrl-C
        ExampleJvm jvm = ExampleJvm.startInTerminal(dir, "tty", "Counter", "20000", "50000", "200");
        assertEquals("starting", jvm.nextLine().trim(), jvm.describe());
        jvm.type("\u0003");
        while (!jvm.nextLine().contains("[rewind] Ctrl-C: pausing the program")) {
            // the echoed ^C
        }
        jvm.type("s\n"); // read by the prompt, which the program is paused for
        StringBuilder rest = new StringBuilder();
        for (String line; (line = jvm.nextLine()) != null; ) {
            rest.append(line.trim()).append('\n');
        }
        assertEquals(130, jvm.exit(), jvm.describe());
        // the terminal echoes the answer where it was typed ahead, before or after the question
        assertTrue(rest.toString().contains("[rewind] state 'counter-20000': save and continue [c], save and stop [s], "
            + "stop without saving [q]? ") && rest.toString().contains("[rewind] Ctrl-C: saved state 'counter-20000' "
            + "(version 1)"), rest + jvm.describe());
        ExampleJvm again = ExampleJvm.start(dir, "after-tty", true, "Counter", "20000", "50000", "200");
        Matcher m = PROGRESS.matcher(again.nextLine());
        assertTrue(m.matches() && m.group(1).equals("resumed at") && Long.parseLong(m.group(3)) > 0, again.describe());
        again.process.destroyForcibly();
        again.exit();
    }

    @Test
    void aSecondProcessCannotOpenTheSameState() throws Exception {
        ExampleJvm owner = ExampleJvm.start(dir, "owner", true, "Counter", "20000", "1000", "100");
        try {
            while (!owner.nextLine().startsWith("saved ")) {
                // wait until it owns the state
            }
            ExampleJvm second = ExampleJvm.start(dir, "second", true, "Counter", "20000", "1000", "100");
            while (second.nextLine() != null) {
                // nothing expected
            }
            assertNotEquals(0, second.exit());
            String err = second.stderr();
            assertTrue(err.contains("state 'counter-20000' in store " + dir.resolve("store") + " is open in another process")
                && err.contains("pid " + owner.process.pid()), second.describe());
        } finally {
            owner.process.destroyForcibly();
            owner.exit();
        }
    }
}
