package dev.rewind.internal.store;

import dev.rewind.RewindException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The store's bounds and trust, from the command line or {@code STORE/config.properties}
 * ({@code keep=}, {@code quota=}, {@code max-size=}, {@code write-buffer=}); the command line wins.
 *
 * @param keep checkpoints kept per run (the oldest go first), 0 for all
 * @param maxSize largest checkpoint in raw bytes; a larger one is not saved (0: no limit)
 * @param quota total bytes of the store; the oldest checkpoints go first, never the newest
 *     usable one of a run (0: no limit)
 * @param trust accept manifests not signed with the user's key
 * @param writeBuffer bytes of checkpoint data held in memory while the background writer catches up;
 *     beyond it the program waits
 */
public record StoreOptions(int keep, long maxSize, long quota, boolean trust, long writeBuffer) {
    /** File name of the store's configuration. */
    public static final String CONFIG = "config.properties";
    /** Default memory bound of the background writer. */
    public static final long DEFAULT_WRITE_BUFFER = 256L << 20;

    /** @return no bounds, no trust, the default write buffer */
    public static StoreOptions defaults() {
        return new StoreOptions(0, 0, 0, false, DEFAULT_WRITE_BUFFER);
    }

    /**
     * @return these options with every unset bound (0) taken from {@code STORE/config.properties}
     * @throws RewindException when the file cannot be read or holds a bad value
     */
    public StoreOptions withConfig(Path storeRoot) {
        Path file = storeRoot.resolve(CONFIG);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return this;
        } catch (IOException e) {
            throw new RewindException("cannot read the store configuration " + file + ": " + e, e);
        }
        String where = " in " + file;
        return new StoreOptions(
            keep != 0 ? keep : (int) Math.min(Integer.MAX_VALUE, parseSize(p.getProperty("keep", "0"), "keep" + where)),
            maxSize != 0 ? maxSize : parseSize(p.getProperty("max-size", "0"), "max-size" + where),
            quota != 0 ? quota : parseSize(p.getProperty("quota", "0"), "quota" + where),
            trust,
            writeBuffer != DEFAULT_WRITE_BUFFER ? writeBuffer
                : Math.max(16L << 20, parseSize(p.getProperty("write-buffer", String.valueOf(DEFAULT_WRITE_BUFFER)),
                    "write-buffer" + where)));
    }

    /** @return these options with every non-zero bound of {@code newer} set, and trust if either trusts */
    public StoreOptions with(StoreOptions newer) {
        return new StoreOptions(newer.keep != 0 ? newer.keep : keep, newer.maxSize != 0 ? newer.maxSize : maxSize,
            newer.quota != 0 ? newer.quota : quota, trust || newer.trust,
            newer.writeBuffer != DEFAULT_WRITE_BUFFER ? newer.writeBuffer : writeBuffer);
    }

    /**
     * Parses {@code 20G}, {@code 512M}, {@code 100k}, {@code 1024} (binary units).
     *
     * @param what names the setting in the error message
     * @throws RewindException on anything else
     */
    public static long parseSize(String text, String what) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K': shift = 10; break;
                case 'M': shift = 20; break;
                case 'G': shift = 30; break;
                case 'T': shift = 40; break;
                default: break;
            }
        }
        if (shift != 0) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            if (v < 0 || Double.isNaN(v) || v * (1L << shift) > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (v * (1L << shift));
        } catch (NumberFormatException e) {
            throw new RewindException("bad size '" + text + "' for " + what + ": use a number with an optional unit, "
                + "e.g. 500M or 20G");
        }
    }

    /** @return {@code bytes} in a short human form, e.g. {@code 1.5 GiB} */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %siB" : "%.1f %siB", v, units.charAt(u));
    }
}
