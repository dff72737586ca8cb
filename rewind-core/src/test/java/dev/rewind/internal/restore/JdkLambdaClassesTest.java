package dev.rewind.internal.restore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class JdkLambdaClassesTest {
    @Test
    void theListHasEveryCandidateJdkClassWithALambdaOnThisJdk() throws IOException {
        int feature = Runtime.version().feature();
        Assumptions.assumeTrue(JdkLambdaClasses.covers(feature),
            "skipped: the list does not claim to cover JDK " + feature + "; the agent retransforms every candidate there");
        List<String> missing = new ArrayList<>();
        int withLambdas = 0;
        Path base = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base");
        try (Stream<Path> files = Files.walk(base.resolve("java/util"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = base.relativize(f).toString();
                if (!name.endsWith(".class")) {
                    continue;
                }
                name = name.substring(0, name.length() - ".class".length());
                if (!RestoreTransformer.makesJdkLambdasSerializable(name)) {
                    continue;
                }
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                boolean lambdas = text.contains("java/lang/invoke/LambdaMetafactory");
                if (lambdas) {
                    withLambdas++;
                    if (!RestoreTransformer.retransformAtStart(name)) {
                        missing.add(name);
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), "JDK " + feature + " classes with lambdas missing from JdkLambdaClasses: " + missing);
        assertTrue(withLambdas > 50, "only " + withLambdas + " candidate classes with lambdas");
    }
}
