package dev.rewind.cli;

import dev.rewind.internal.runtime.Version;
import picocli.CommandLine.IVersionProvider;

/** Prints Rewind's version and the JVM it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"rewind " + Version.REWIND,
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
    }
}
