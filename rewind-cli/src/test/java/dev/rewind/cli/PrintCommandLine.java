package dev.rewind.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A program for {@link LauncherScriptTest}: prints the arguments of its own JVM, one per line. */
public final class PrintCommandLine {
    private PrintCommandLine() {
    }

    public static void main(String[] args) throws Exception {
        String all = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8);
        System.out.print(all.replace('\0', '\n'));
    }
}
