package dev.rewind.nativestart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.internal.agent.NativeAgentLibrary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The native agent's class-file hook (C) and Rewind's Java transformer each hold the list of JDK
 * packages whose lambdas are made serializable. Under the native start, lambdas made by JDK code of
 * each package must be serializable, and the JDK classes retransformed at start, picked by the C
 * filter, must be the ones the Java filter would pick.
 */
class JdkLambdaFilterTest {
    @Test
    void jdkLambdasAreSerializableAndBothFiltersPickTheSameClasses() throws Exception {
        Optional<Path> library = NativeAgentLibrary.find();
        assumeTrue(library.isPresent(), "no native agent library for this machine");
        String agent = System.getProperty("rewind.agentJar");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-agentpath:" + library.get() + "=start=" + URLEncoder.encode(agent, StandardCharsets.UTF_8),
            "-cp", System.getProperty("java.class.path"), JdkLambdaProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
        assertEquals(0, p.exitValue(), out);
        assertEquals(String.join("\n",
            "Comparator.comparing serializable",
            "Comparator.thenComparing serializable",
            "Map.Entry.comparingByKey serializable",
            "Function.andThen serializable",
            "UnaryOperator.identity serializable",
            "Predicate.not serializable",
            "BinaryOperator.minBy serializable",
            "Collectors.toList supplier serializable",
            "Collectors.joining combiner serializable", ""), out.substring(0, out.indexOf("candidates")));
        String last = out.substring(out.indexOf("candidates")).trim();
        assertTrue(last.startsWith("candidates agree: "), last);
        // java.util.function and java.util.stream classes, Comparator, Map.Entry: at least 8 of them by now
        assertTrue(Integer.parseInt(last.substring("candidates agree: ".length())) >= 8, last);
    }
}
