package dev.rewind.internal.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code java} command line split into the launcher, the JVM options, the main specification
 * ({@code Main}, {@code -jar app.jar} or {@code File.java}) and the program's arguments, so that
 * Rewind can insert its own JVM options before the main specification.
 *
 * @param java the java launcher
 * @param jvmOptions options before the main specification
 * @param main the main specification (one or two words)
 * @param arguments the program's arguments
 */
public record JavaCommand(String java, List<String> jvmOptions, List<String> main, List<String> arguments) {
    /** JDK 23+: lets the store's compression library use sun.misc.Unsafe without a warning. */
    public static final String UNSAFE_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
        "--add-opens", "--add-exports", "--add-modules", "--add-reads", "--patch-module", "--upgrade-module-path",
        "--limit-modules", "--source", "--enable-native-access");

    /**
     * @param command {@code java [jvm options] (Main | -jar app.jar | File.java) [args]}
     * @throws CommandLineException when it is not such a command
     */
    public static JavaCommand parse(List<String> command) {
        if (command.isEmpty()) {
            throw new CommandLineException("expected a java command after --, e.g. rewind run -- java -cp app.jar demo.Main");
        }
        String java = command.get(0);
        Path name = Path.of(java).getFileName();
        if (name == null || !name.toString().equals("java")) {
            throw new CommandLineException("the command after -- must start with java, not '" + java + "'");
        }
        List<String> options = new ArrayList<>();
        List<String> main = new ArrayList<>();
        int i = 1;
        while (i < command.size()) {
            String t = command.get(i);
            if (WITH_VALUE.contains(t)) {
                if (i + 1 >= command.size()) {
                    throw new CommandLineException("java option " + t + " needs a value");
                }
                options.add(t);
                options.add(command.get(i + 1));
                i += 2;
            } else if (t.equals("-jar")) {
                if (i + 1 >= command.size()) {
                    throw new CommandLineException("-jar needs the path of a jar file");
                }
                main.add(t);
                main.add(command.get(i + 1));
                i += 2;
                break;
            } else if (t.equals("-m") || t.equals("--module") || t.startsWith("--module=")) {
                throw new CommandLineException("modular applications (java -m) are not supported yet; use -cp or -jar");
            } else if (t.startsWith("-")) {
                options.add(t);
                i++;
            } else {
                main.add(t);
                i++;
                break;
            }
        }
        if (main.isEmpty()) {
            throw new CommandLineException("the java command names no main class, -jar file or source file");
        }
        return new JavaCommand(java, options, main, new ArrayList<>(command.subList(i, command.size())));
    }

    /**
     * @return the program's code: the class path entries, the -jar file or the source file,
     *     resolved against {@code cwd}; the CLASSPATH variable when nothing else names it
     */
    public List<Path> codePaths(Path cwd) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i + 1 < jvmOptions.size(); i++) {
            String o = jvmOptions.get(i);
            if (o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path")) {
                for (String e : jvmOptions.get(i + 1).split(File.pathSeparator)) {
                    if (!e.isEmpty()) {
                        out.add(cwd.resolve(e));
                    }
                }
            }
        }
        if (main.get(0).equals("-jar")) {
            out.add(cwd.resolve(main.get(1)));
        } else if (main.get(0).endsWith(".java")) {
            out.add(cwd.resolve(main.get(0)));
        }
        if (out.isEmpty() && System.getenv("CLASSPATH") != null) {
            for (String e : System.getenv("CLASSPATH").split(File.pathSeparator)) {
                out.add(cwd.resolve(e));
            }
        }
        return out;
    }

    /** @return the feature version of the JDK that {@code java} belongs to, from its release file; 0 if unknown */
    public int feature() {
        Path exe = Path.of(java);
        if (exe.getParent() == null) {
            String path = System.getenv("PATH");
            for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, java))) {
                    exe = Path.of(dir, java);
                    break;
                }
            }
        }
        try {
            Path home = exe.toRealPath().getParent().getParent();
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Runtime.Version.parse(v).feature();
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: add no version-specific option
        }
        return 0;
    }

    /**
     * @param rewindOptions the JVM options that install Rewind
     * @return what Rewind inserts right after the java launcher: {@code rewindOptions}, then the
     *     options this JDK needs for the store's compression library
     */
    public List<String> inserted(List<String> rewindOptions) {
        List<String> out = new ArrayList<>(rewindOptions);
        if (feature() >= 23) {
            // the store's zstd (aircompressor) reads memory through sun.misc.Unsafe, which JDK 23+ warns about on
            // stderr, in the middle of the program's own output
            out.add(UNSAFE_ACCESS);
        }
        return out;
    }

    /** @return the full command with {@code inserted} right after the java launcher */
    public List<String> with(List<String> inserted) {
        List<String> out = new ArrayList<>();
        out.add(java);
        out.addAll(inserted);
        out.addAll(jvmOptions);
        out.addAll(main);
        out.addAll(arguments);
        return out;
    }

    /** @return the main class, jar file or source file this command runs */
    public String mainName() {
        return main.get(0).equals("-jar") ? main.get(1) : main.get(0);
    }
}
