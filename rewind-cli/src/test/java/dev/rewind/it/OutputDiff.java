package dev.rewind.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Byte-for-byte comparison of the reference stdout with the concatenated stdouts of an interrupted run, explained for humans. */
final class OutputDiff {
    private OutputDiff() {
    }

    static byte[] concat(List<byte[]> parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** @return null when equal, otherwise where and how they differ, with the JVM boundaries marked */
    static String explain(byte[] expected, List<byte[]> parts, List<String> partNames) {
        byte[] actual = concat(parts);
        if (Arrays.equals(expected, actual)) {
            return null;
        }
        int at = Arrays.mismatch(expected, actual);
        String exp = new String(expected, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        sb.append("stdout differs from the uninterrupted run's at byte ").append(at).append(" (expected ")
                .append(expected.length).append(" bytes, got ").append(actual.length).append(")");
        // which part holds the first difference
        int offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            int len = parts.get(i).length;
            if (at < offset + len || i == parts.size() - 1) {
                sb.append(", in the output of ").append(partNames.get(i)).append(" at its byte ").append(at - offset);
                break;
            }
            offset += len;
        }
        int line = 1;
        for (int i = 0; i < Math.min(at, expected.length); i++) {
            if (expected[i] == '\n') {
                line++;
            }
        }
        sb.append(", line ").append(line).append(".\n");
        sb.append("expected (uninterrupted), around line ").append(line).append(":\n")
                .append(RewindProcess.indent(window(exp, line)));
        sb.append("got (the JVMs' outputs one after the other, boundaries marked), around line ").append(line).append(":\n")
                .append(RewindProcess.indent(window(marked(parts, partNames), line)));
        return sb.toString();
    }

    /** The concatenated output with a marker line between two JVMs' outputs (marker lines are not counted as lines). */
    private static String marked(List<byte[]> parts, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String s = new String(parts.get(i), StandardCharsets.UTF_8);
            if (i > 0) {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append("\u23CE(no newline)\n");
                }
                sb.append("\u0000=== ").append(names.get(i)).append(" starts here ===\n");
            }
            sb.append(s);
        }
        return sb.toString();
    }

    private static String window(String text, int line) {
        String[] lines = text.split("\n", -1);
        List<String> out = new ArrayList<>();
        int logical = 0;
        int from = Math.max(1, line - 6);
        int to = line + 4;
        for (String l : lines) {
            boolean marker = l.startsWith("\u0000");
            if (!marker) {
                logical++;
            }
            if (logical >= from && logical <= to) {
                if (marker) {
                    out.add("        " + l.substring(1));
                } else {
                    out.add(String.format("%6d%s %s", logical, logical == line ? ">" : ":", l.length() > 300 ? l.substring(0, 300) + "..." : l));
                }
            }
        }
        if (out.isEmpty()) {
            out.add("(nothing: the output ends before line " + line + ")");
        }
        return String.join("\n", out);
    }
}
