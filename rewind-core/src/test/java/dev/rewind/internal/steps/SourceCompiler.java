package dev.rewind.internal.steps;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles small Java sources at test time, each version into its own directory and class loader,
 * so that two versions of one class can be fingerprinted side by side.
 */
final class SourceCompiler {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private SourceCompiler() {
    }

    /**
     * @param dir an empty directory for this version
     * @param sources source text by binary class name ("demo.Steps")
     * @return a loader over the compiled classes whose parent sees only the JDK, as an application would
     */
    static URLClassLoader compile(Path dir, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            files.add(file);
        }
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = JAVAC.getStandardFileManager(null, null, null)) {
            // -g: local variable tables too, to show they do not reach the fingerprint
            boolean ok = JAVAC.getTask(diagnostics, fm, null,
                List.of("-g", "-proc:none", "-d", classes.toString()), null, fm.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                throw new AssertionError("test source does not compile:\n" + diagnostics);
            }
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    /** @return the class files directory of a version compiled into dir */
    static Path classes(Path dir) {
        return dir.resolve("classes");
    }

    /** @return what a public static no-argument method of a compiled class returns */
    static Object call(ClassLoader loader, String className, String method) throws ReflectiveOperationException {
        Method m = Class.forName(className, false, loader).getMethod(method);
        return m.invoke(null);
    }
}
