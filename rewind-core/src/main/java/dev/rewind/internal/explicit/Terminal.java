package dev.rewind.internal.explicit;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether a person is at the keyboard: the interactive Ctrl-C prompt needs one. */
final class Terminal {
    private Terminal() {
    }

    /**
     * @return the console when standard input and output are a terminal, else null. Since JDK 22
     *     {@link System#console()} returns a console even when they are redirected, and
     *     {@code Console.isTerminal()} (looked up by reflection: the baseline is JDK 17) tells.
     */
    static Console interactive() {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(c)) ? c : null;
        } catch (NoSuchMethodException e) {
            return c; // JDK 17 to 21: a console exists only for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
