package dev.rewind.internal.steps;

import dev.rewind.RewindException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steps {@code rewind rerun} marked to run again, in {@code runs/pipeline-NAME/rerun.properties}:
 * step name = the time of the mark (epoch milliseconds). A stored result taken at or before its
 * step's mark is not reused; a result stored after it is, so a mark that was never cleared (the
 * program died before {@code close}) does no harm. The file is replaced atomically and is 0600.
 */
public final class RerunMarks {
    /** The file's name in the pipeline's run folder. */
    public static final String FILE = "rerun.properties";
    private static final AtomicLong COUNTER = new AtomicLong();

    private RerunMarks() {
    }

    /**
     * @return step name → time of its mark, in name order; empty when there is no file
     * @throws RewindException when the file cannot be read or is damaged
     */
    public static Map<String, Long> read(Path runDir) {
        Path file = runDir.resolve(FILE);
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException | IllegalArgumentException e) {
            throw new RewindException("cannot read the re-run marks " + file + ": " + e + ". Delete the file to drop"
                + " all marks.", e);
        }
        Map<String, Long> marks = new TreeMap<>();
        for (String step : p.stringPropertyNames()) {
            try {
                marks.put(step, Long.parseLong(p.getProperty(step).trim()));
            } catch (NumberFormatException e) {
                throw new RewindException("the re-run marks " + file + " are damaged (step '" + step + "' has '"
                    + p.getProperty(step) + "', not a time). Delete the file to drop all marks.");
            }
        }
        return marks;
    }

    /**
     * Marks steps at the given time, keeping the other marks.
     *
     * @throws RewindException when the file cannot be written
     */
    public static synchronized void mark(Path runDir, Set<String> steps, long timeMillis) {
        Map<String, Long> marks = read(runDir);
        for (String s : steps) {
            marks.put(s, timeMillis);
        }
        write(runDir, marks);
    }

    /**
     * Drops the marks of steps that ran after being marked: those whose mark is not newer than
     * {@code ranAt}. A mark set again meanwhile by {@code rewind rerun} stays.
     *
     * @param ranAt step name → time its new result was taken
     * @throws RewindException when the file cannot be written
     */
    public static synchronized void clear(Path runDir, Map<String, Long> ranAt) {
        Map<String, Long> marks = read(runDir);
        boolean changed = marks.entrySet().removeIf(e -> ranAt.containsKey(e.getKey())
            && e.getValue() <= ranAt.get(e.getKey()));
        if (changed) {
            write(runDir, marks);
        }
    }

    private static void write(Path runDir, Map<String, Long> marks) {
        Path file = runDir.resolve(FILE);
        try {
            if (marks.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder text = new StringBuilder("# Rewind: steps marked by `rewind rerun`, with the time of the mark"
                + " (epoch ms); results taken before it are not reused\n");
            for (Map.Entry<String, Long> e : marks.entrySet()) {
                Properties one = new Properties();
                one.setProperty(e.getKey(), Long.toString(e.getValue()));
                StringWriter w = new StringWriter();
                one.store(w, null);
                // Properties.store writes a date comment first; keep the entry line only
                for (String line : w.toString().split("\n")) {
                    if (!line.startsWith("#")) {
                        text.append(line).append('\n');
                    }
                }
            }
            Path tmp = runDir.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + FILE);
            try {
                Files.writeString(tmp, "", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RewindException("cannot write the re-run marks " + file + ": " + e, e);
        }
    }
}
