package dev.rewind.internal.serial;

import dev.rewind.internal.jvm.UnsafeAccess;

/**
 * Access to String's compact representation so Latin-1 strings are copied as bytes without
 * decoding. Falls back to char access when the JDK's String does not look as expected.
 */
final class StringLayout {
    /** Offset of String.value (byte[]), or -1 if unavailable. */
    static final long VALUE;
    /** Offset of String.coder (0 = Latin-1, 1 = UTF-16), or -1 if unavailable. */
    static final long CODER;

    static {
        long value = -1, coder = -1;
        try {
            UnsafeAccess.require();
            java.lang.reflect.Field v = String.class.getDeclaredField("value");
            java.lang.reflect.Field c = String.class.getDeclaredField("coder");
            if (v.getType() == byte[].class && c.getType() == byte.class) {
                value = UnsafeAccess.objectFieldOffset(v);
                coder = UnsafeAccess.objectFieldOffset(c);
            }
        } catch (RuntimeException | NoSuchFieldException e) {
            // use the portable path
        }
        VALUE = value;
        CODER = coder;
    }

    private StringLayout() {
    }

    /** @return the Latin-1 bytes backing {@code s} (not to be modified), or null if it needs UTF-16 */
    static byte[] latin1(String s) {
        if (VALUE >= 0) {
            if (UnsafeAccess.getByte(s, CODER) != 0) {
                return null;
            }
            return (byte[]) UnsafeAccess.getReference(s, VALUE);
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xFF) {
                return null;
            }
        }
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
