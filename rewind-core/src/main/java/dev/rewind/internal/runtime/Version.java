package dev.rewind.internal.runtime;

/** Rewind's own version, from the jar manifest. */
public final class Version {
    /** e.g. "0.1.0-SNAPSHOT", or "dev" when run from classes */
    public static final String REWIND;

    static {
        String v = Version.class.getPackage().getImplementationVersion();
        REWIND = v == null ? "dev" : v;
    }

    private Version() {
    }
}
