package dev.rewind.internal.explicit;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Saves the open state objects and pipelines when the process is asked to stop, through
 * {@code sun.misc.Signal} (module jdk.unsupported: no JVM options needed).
 *
 * <ul>
 *   <li>SIGTERM: saves every registered {@link Saveable}, then exits with 143 (128 + 15), as the
 *       JVM would have without Rewind. It waits at most 25 s for the saves, so that a program
 *       that holds a state's lock all the time still stops.</li>
 *   <li>SIGINT (Ctrl-C) in an interactive terminal: takes every registered pause lock, so that the
 *       program stops at its next update of the state, and asks "Save and continue [c], save and
 *       stop [s], stop without saving [q]?"; a second Ctrl-C while asking stops without saving.
 *       Stopping exits with 130 (128 + 2).</li>
 *   <li>SIGINT without a terminal (redirected input and output, a batch job): the JVM's default,
 *       exit 130 without saving: a script that interrupts a program wants it to stop now.</li>
 * </ul>
 *
 * The handlers are installed when the first {@link Saveable} registers and the previous ones are
 * put back when the last one leaves. When the JVM does not let Rewind handle signals (for example
 * with {@code -Xrs}) a note says so once, and signals keep their usual effect.
 */
public final class SignalSaver {
    /** Exit code after SIGTERM. */
    public static final int TERM_EXIT = 143;
    /** Exit code after SIGINT. */
    public static final int INT_EXIT = 130;
    /** How long SIGTERM waits for the saves: batch schedulers send SIGKILL some 30 s after SIGTERM. */
    static final long TERM_SAVE_LIMIT_MILLIS = 25_000;

    private static final List<Saveable> REGISTERED = new ArrayList<>();
    private static final AtomicBoolean PROMPTING = new AtomicBoolean();
    private static boolean installed;
    private static boolean unavailable;
    private static SignalHandler previousTerm;
    private static SignalHandler previousInt;

    private SignalSaver() {
    }

    /** Saves {@code s} on SIGTERM and offers to on Ctrl-C, until {@link #unregister}. */
    public static synchronized void register(Saveable s) {
        REGISTERED.add(s);
        if (!installed && !unavailable) {
            install();
        }
    }

    /** Stops handling signals for {@code s}; the last one out restores the previous handlers. */
    public static synchronized void unregister(Saveable s) {
        REGISTERED.remove(s);
        if (REGISTERED.isEmpty() && installed) {
            Signal.handle(new Signal("TERM"), previousTerm);
            Signal.handle(new Signal("INT"), previousInt);
            installed = false;
        }
    }

    private static synchronized List<Saveable> registered() {
        return new ArrayList<>(REGISTERED);
    }

    private static void install() {
        try {
            previousTerm = Signal.handle(new Signal("TERM"), SignalSaver::onTerm);
            try {
                previousInt = Signal.handle(new Signal("INT"), SignalSaver::onInt);
            } catch (RuntimeException e) {
                Signal.handle(new Signal("TERM"), previousTerm);
                throw e;
            }
            installed = true;
        } catch (RuntimeException | LinkageError e) {
            unavailable = true;
            System.err.println("[rewind] this JVM does not let Rewind handle signals (" + e.getMessage()
                + "): SIGTERM and Ctrl-C will stop the program without saving its state.");
        }
    }

    private static void onTerm(Signal sig) {
        List<Saveable> all = registered();
        if (all.isEmpty()) {
            pass(sig, previousTerm, TERM_EXIT);
            return;
        }
        // a program that never releases a state's lock must not make SIGTERM hang: exit after a bound
        Thread saver = new Thread(() -> saveAll(all, "SIGTERM"), "rewind-sigterm-save");
        saver.setDaemon(true);
        saver.start();
        try {
            saver.join(TERM_SAVE_LIMIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (saver.isAlive()) {
            System.err.println("[rewind] SIGTERM: the save did not finish within " + TERM_SAVE_LIMIT_MILLIS / 1000
                + " s (does the program hold the state's lock all the time?); exiting without it");
        }
        Runtime.getRuntime().exit(TERM_EXIT);
    }

    private static void onInt(Signal sig) {
        Console console = Terminal.interactive();
        List<Saveable> all = registered();
        if (console == null || all.isEmpty()) {
            pass(sig, previousInt, INT_EXIT);
            return;
        }
        if (!PROMPTING.compareAndSet(false, true)) {
            console.printf("%n[rewind] stopping without saving%n");
            Runtime.getRuntime().exit(INT_EXIT);
            return;
        }
        try {
            console.printf("%n[rewind] Ctrl-C: pausing the program...%n");
            withPauseLocks(all, 0, console);
        } finally {
            PROMPTING.set(false);
        }
    }

    /** Holds every pause lock (nested, in registration order) while asking and acting. */
    private static void withPauseLocks(List<Saveable> all, int i, Console console) {
        if (i == all.size()) {
            askAndAct(all, console);
            return;
        }
        Object lock = all.get(i).pauseLock();
        if (lock == null) {
            withPauseLocks(all, i + 1, console);
        } else {
            synchronized (lock) {
                withPauseLocks(all, i + 1, console);
            }
        }
    }

    private static void askAndAct(List<Saveable> all, Console console) {
        List<String> names = new ArrayList<>();
        all.forEach(s -> names.add(s.describe()));
        while (true) {
            String answer = console.readLine("[rewind] %s: save and continue [c], save and stop [s], "
                + "stop without saving [q]? ", String.join(", ", names));
            String a = answer == null ? "c" : answer.trim().toLowerCase(Locale.ROOT);
            switch (a) {
                case "c":
                    saveAll(all, "Ctrl-C");
                    console.printf("[rewind] continuing%n");
                    return;
                case "s":
                    saveAll(all, "Ctrl-C");
                    Runtime.getRuntime().exit(INT_EXIT);
                    return;
                case "q":
                    Runtime.getRuntime().exit(INT_EXIT);
                    return;
                default:
                    break;
            }
        }
    }

    private static void saveAll(List<Saveable> all, String why) {
        for (Saveable s : all) {
            try {
                int version = s.saveNow();
                System.err.println("[rewind] " + why + ": saved " + s.describe() + " (version " + version + ")");
            } catch (RuntimeException | Error e) {
                System.err.println("[rewind] " + why + ": could not save " + s.describe() + ": " + e.getMessage()
                    + " (its previous version stays)");
            }
        }
    }

    /** Does what the handler before Rewind's would have done. */
    private static void pass(Signal sig, SignalHandler previous, int exitCode) {
        if (previous == SignalHandler.SIG_IGN) {
            return;
        }
        if (previous == null || previous == SignalHandler.SIG_DFL) {
            Runtime.getRuntime().exit(exitCode);
            return;
        }
        previous.handle(sig);
    }
}
