package dev.rewind.internal.serial;

import dev.rewind.CheckpointRefusedException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects bound to the running process are refused with the path to them and advice. */
class GraphRefusalTest {

    static final class Holder {
        Object resource;
        List<Object> list = new ArrayList<>();
        Map<String, Object> byName = new HashMap<>();
    }

    private static String refusal(Object root, String rootPath) {
        GraphWriter writer = new GraphWriter(new ByteArrayOutputStream());
        CheckpointRefusedException e = assertThrows(CheckpointRefusedException.class,
                () -> writer.write(new Object[] {"unrelated", root}, new String[] {"static demo.App.name", rootPath}));
        return e.getMessage();
    }

    @Test
    void threadInAField() {
        Holder h = new Holder();
        h.resource = new Thread(() -> { });
        String msg = refusal(h, "frame demo.App.main(App.java:12) \u2192 local h");
        assertEquals("cannot save java.lang.Thread at frame demo.App.main(App.java:12) \u2192 local h \u2192 field resource: "
                + "threads cannot be resumed in another process. Mark the field transient and start a new one when "
                + "Rewind.checkpoint returns null.", msg);
    }

    @Test
    void socketInAListElement() {
        Holder h = new Holder();
        h.list.add("x");
        h.list.add(new Socket());
        String msg = refusal(h, "frame demo.App.main(App.java:12) \u2192 local db");
        assertTrue(msg.startsWith("cannot save java.net.Socket at frame demo.App.main(App.java:12) \u2192 local db "
                + "\u2192 field list \u2192 field elementData \u2192 element [1]: sockets cannot be resumed in another "
                + "process. Mark the field transient and reopen it"), msg);
    }

    @Test
    void fileInputStreamAsMapValue() throws IOException {
        File f = File.createTempFile("rewind", ".txt");
        f.deleteOnExit();
        try (FileInputStream in = new FileInputStream(f)) {
            Holder h = new Holder();
            h.byName.put("input", in);
            String msg = refusal(h, "static demo.App.holder");
            assertTrue(msg.startsWith("cannot save java.io.FileInputStream at static demo.App.holder \u2192 field byName "
                    + "\u2192 value of entry [key \"input\"]: open files cannot be resumed"), msg);
        } finally {
            Files.deleteIfExists(f.toPath());
        }
    }

    @Test
    void classLoaderDirectlyInALocal() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[0])) {
            String msg = refusal(loader, "frame demo.App.main(App.java:3) \u2192 local loader");
            assertTrue(msg.startsWith("cannot save java.net.URLClassLoader at frame demo.App.main(App.java:3) \u2192 local "
                    + "loader: class loaders belong to the running JVM. Do not keep it in a variable"), msg);
        }
    }

    @Test
    void nonSerializableLambda() {
        Holder h = new Holder();
        h.resource = (Runnable) () -> { };
        String msg = refusal(h, "static demo.App.holder");
        assertTrue(msg.startsWith("cannot save a lambda at static demo.App.holder \u2192 field resource: lambda implementing "
                + "java.lang.Runnable created in dev.rewind.internal.serial.GraphRefusalTest is not serializable"), msg);
    }

    @Test
    void writerIsReusableAfterARefusal() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GraphWriter writer = new GraphWriter(bytes);
        Holder h = new Holder();
        h.list.add(new Thread(() -> { }));
        assertThrows(CheckpointRefusedException.class, () -> writer.write(new Object[] {h}, new String[] {"local h"}));
        bytes.reset();
        h.list.clear();
        writer.write(new Object[] {h}, new String[] {"local h"});
        Object[] back = new GraphReader(new java.io.ByteArrayInputStream(bytes.toByteArray()), GraphRoundTripTest.RESOLVER).read();
        assertTrue(((Holder) back[0]).list.isEmpty());
    }

    @Test
    void rewindRuntimeObjects() {
        Holder h = new Holder();
        h.resource = new IdentityIds(4);
        String msg = refusal(h, "static demo.App.holder");
        assertTrue(msg.contains("part of the Rewind runtime itself"), msg);
    }
}
