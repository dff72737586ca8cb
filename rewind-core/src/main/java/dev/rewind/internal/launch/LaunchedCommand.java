package dev.rewind.internal.launch;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line this JVM was started with, as the user typed it: {@code rewind run} inserts its
 * own JVM options right after the java launcher and says how many, so that the run records (and
 * {@code rewind resume} replays) the user's command without them.
 */
public final class LaunchedCommand {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private LaunchedCommand() {
    }

    /**
     * @param added how many arguments after the launcher Rewind inserted
     * @return this JVM's command line without them
     * @throws CommandLineException when the command line cannot be read or does not start with
     *     Rewind's agent option (-javaagent, or -agentpath for its native agent)
     */
    public static List<String> user(int added) {
        return user(argv(), added);
    }

    static List<String> user(List<String> argv, int added) {
        if (argv.size() < 1 + added || added > 0 && !argv.get(1).startsWith("-javaagent:")
                && !argv.get(1).startsWith("-agentpath:")) {
            throw new CommandLineException("cannot tell the program's own command line from Rewind's options in " + argv
                + "; start it with `rewind run -- java ...`");
        }
        List<String> out = new ArrayList<>(argv.size() - added);
        out.add(argv.get(0));
        out.addAll(argv.subList(1 + added, argv.size()));
        return out;
    }

    /** @return this process's arguments, the launcher first, from /proc (Linux) or the process API */
    static List<String> argv() {
        try {
            byte[] raw;
            // a FileInputStream, not Files.readAllBytes: its classes are already loaded at start, the
            // channel classes are not (~3 ms of a program's start-up)
            try (FileInputStream in = new FileInputStream(CMDLINE.toFile())) {
                raw = in.readAllBytes();
            }
            List<String> out = new ArrayList<>();
            Charset cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    out.add(new String(raw, start, i - start, cs));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                out.add(new String(raw, start, raw.length - start, cs));
            }
            return out;
        } catch (IOException | UnsupportedOperationException e) {
            ProcessHandle.Info info = ProcessHandle.current().info();
            List<String> out = new ArrayList<>();
            out.add(info.command().orElse("java"));
            out.addAll(List.of(info.arguments().orElse(new String[0])));
            return out;
        }
    }
}
