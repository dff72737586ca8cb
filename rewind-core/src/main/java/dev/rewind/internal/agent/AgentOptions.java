package dev.rewind.internal.agent;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's options: {@code -javaagent:rewind-core.jar=store=DIR,run=ID,resume=FILE}. Values are
 * URL-encoded so that paths may contain commas and equals signs.
 *
 * @param store the store's folder, or null for the default
 * @param run the run's id, or null when the program was started with a bare -javaagent
 * @param resume the checkpoint to resume from, or null
 */
public record AgentOptions(String store, String run, String resume) {

    /** Parses the agent argument string (may be null or empty). */
    public static AgentOptions parse(String args) {
        Map<String, String> m = new LinkedHashMap<>();
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bad Rewind agent option '" + part + "': expected key=value");
                }
                m.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        for (String key : m.keySet()) {
            if (!key.equals("store") && !key.equals("run") && !key.equals("resume")) {
                throw new IllegalArgumentException("unknown Rewind agent option '" + key + "' (known: store, run, resume)");
            }
        }
        return new AgentOptions(m.get("store"), m.get("run"), m.get("resume"));
    }

    /** @return the argument string that {@link #parse} reads back */
    public String format() {
        StringBuilder sb = new StringBuilder();
        append(sb, "store", store);
        append(sb, "run", run);
        append(sb, "resume", resume);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (value == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
