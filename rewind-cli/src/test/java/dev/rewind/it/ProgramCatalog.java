package dev.rewind.it;

import dev.rewind.it.programs.Ck;
import dev.rewind.it.programs.ProgramSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the corpus programs: classes {@code dev.rewind.it.programs.Pnn_*} in this module's test classes. */
final class ProgramCatalog {
    private static final Pattern NAME = Pattern.compile("P\\d\\d_[A-Za-z0-9_]+");

    /** A program of the corpus. */
    record Program(String simpleName, String className, ProgramSpec spec, int index) {
        String shortId() {
            return simpleName.substring(0, 3);
        }
    }

    private ProgramCatalog() {
    }

    /** @return the directory (or jar) holding the corpus classes, i.e. rewind-cli/target/test-classes */
    static Path classesRoot() {
        try {
            return Path.of(Ck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Program> discover(ItSettings settings) {
        Path dir = classesRoot().resolve("dev/rewind/it/programs");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> NAME.matcher(n).matches())
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus in " + dir, e);
        }
        List<Program> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String simple = names.get(i);
            if (!settings.selects(simple)) {
                continue;
            }
            String cn = "dev.rewind.it.programs." + simple;
            ProgramSpec spec;
            try {
                Class<?> c = Class.forName(cn, false, ProgramCatalog.class.getClassLoader());
                spec = c.getAnnotation(ProgramSpec.class);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            out.add(new Program(simple, cn, spec == null ? DEFAULT_SPEC : spec, i));
        }
        return out;
    }

    @ProgramSpec
    private static final class Defaults {
    }

    static final ProgramSpec DEFAULT_SPEC = Defaults.class.getAnnotation(ProgramSpec.class);

    static String describe(ProgramSpec s) {
        return "args=" + List.of(s.args()) + " hot=" + s.hotEvery() + "/" + s.hotWork() + " hotMethods=" + List.of(s.hotMethods())
                + " jvmArgs=" + List.of(s.jvmArgs());
    }
}
