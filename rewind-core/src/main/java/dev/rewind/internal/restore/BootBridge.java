package dev.rewind.internal.restore;

import dev.rewind.RewindException;
import dev.rewind.internal.bridge.RestoreBridge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@link RestoreBridge} on the boot class path so that prologues inserted into JDK classes
 * can reach the runtime. It must happen before anything loads the bridge class, so that the
 * application class loader (which delegates to the boot loader first) finds the same copy.
 */
final class BootBridge {
    private static final String ENTRY = "dev/rewind/internal/bridge/RestoreBridge.class";
    private static boolean installed;

    private BootBridge() {
    }

    static synchronized void install(Instrumentation inst) {
        if (installed) {
            return;
        }
        try (InputStream in = BootBridge.class.getClassLoader().getResourceAsStream(ENTRY)) {
            if (in == null) {
                throw new RewindException("Rewind's jar lacks " + ENTRY);
            }
            byte[] bytes = in.readAllBytes();
            Path jar = Files.createTempFile("rewind-boot-bridge-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
                j.putNextEntry(new JarEntry(ENTRY));
                j.write(bytes);
                j.closeEntry();
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        } catch (IOException e) {
            throw new RewindException("cannot put Rewind's restore bridge on the boot class path: " + e.getMessage(), e);
        }
        if (RestoreBridge.class.getClassLoader() != null) {
            throw new RewindException("Rewind's restore bridge was loaded before it could be put on the boot class"
                + " path; JDK frames cannot be restored in this JVM");
        }
        RestoreBridge.install(RestoreRuntime::enter, RestoreRuntime::afterLock, RestoreRuntime::data);
        RestoreBridge.setActive(RestoreRuntime.current() != null);
        installed = true;
    }

    static synchronized boolean isInstalled() {
        return installed;
    }
}
