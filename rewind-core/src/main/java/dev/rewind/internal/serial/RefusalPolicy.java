package dev.rewind.internal.serial;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.lang.reflect.AccessibleObject;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.Buffer;
import java.nio.channels.Channel;
import java.security.CodeSource;
import java.util.Objects;

/**
 * Decides, per class, whether its instances can be saved. Everything bound to the running process
 * (threads, sockets, open files, native memory, class loaders, method handles) is refused so the
 * user learns about it at checkpoint time instead of getting a broken program after restore.
 */
final class RefusalPolicy {
    private static final String RECREATE = "re-create it";
    private static final String REOPEN = "reopen it";

    private RefusalPolicy() {
    }

    /** @return the refusal for instances of {@code c}, or null if they can be saved */
    static Refusal check(Class<?> c) {
        if (Thread.class.isAssignableFrom(c) || ThreadGroup.class.isAssignableFrom(c)) {
            return new Refusal("threads cannot be resumed in another process", "start a new one");
        }
        if (Socket.class.isAssignableFrom(c) || ServerSocket.class.isAssignableFrom(c)
                || DatagramSocket.class.isAssignableFrom(c) || isNamed(c, "java.net.SocketImpl")) {
            return new Refusal("sockets cannot be resumed in another process", REOPEN);
        }
        if (Channel.class.isAssignableFrom(c)) {
            return new Refusal("open channels (files, sockets, pipes) cannot be resumed in another process", REOPEN);
        }
        if (FileInputStream.class.isAssignableFrom(c) || FileOutputStream.class.isAssignableFrom(c)
                || RandomAccessFile.class.isAssignableFrom(c) || FileDescriptor.class.isAssignableFrom(c)) {
            return new Refusal("open files cannot be resumed in another process", REOPEN);
        }
        if (Process.class.isAssignableFrom(c) || ProcessHandle.class.isAssignableFrom(c)) {
            return new Refusal("operating-system processes cannot be resumed in another process", "start it again");
        }
        if (ClassLoader.class.isAssignableFrom(c)) {
            return new Refusal("class loaders belong to the running JVM", RECREATE);
        }
        if (Reference.class.isAssignableFrom(c) && !WeakReference.class.isAssignableFrom(c)
                && !SoftReference.class.isAssignableFrom(c)) {
            return new Refusal("phantom references and cleaners are tied to the garbage collector of the running JVM",
                    RECREATE);
        }
        if (Cleaner.class.isAssignableFrom(c) || Cleaner.Cleanable.class.isAssignableFrom(c)) {
            return new Refusal("cleaners are tied to the garbage collector of the running JVM", RECREATE);
        }
        if (isInvokeMachinery(c)) {
            return new Refusal("method handles, call sites and lookups are bound to the running JVM", "look it up again");
        }
        if (AccessibleObject.class.isAssignableFrom(c)) {
            return new Refusal("reflection objects are bound to the running JVM", "look it up again");
        }
        if (c == Module.class || c == ModuleLayer.class) {
            return new Refusal("modules belong to the running JVM", "look it up again");
        }
        if (isNamed(c, "sun.misc.Unsafe") || isNamed(c, "jdk.internal.misc.Unsafe")) {
            return new Refusal("Unsafe instances belong to the running JVM", "obtain it again");
        }
        if (Buffer.class.isAssignableFrom(c) && c.getName().startsWith("java.nio.Direct")) {
            return new Refusal("direct buffers point to native memory of the running process", "allocate it again");
        }
        if (isRewindRuntime(c)) {
            return new Refusal("it is part of the Rewind runtime itself", RECREATE);
        }
        if (c.isHidden() && !isSerializableLambda(c)) {
            if (isLambda(c)) {
                return new Refusal("lambda implementing " + lambdaInterface(c) + " created in " + lambdaCreator(c)
                        + " is not serializable (the Rewind agent makes application lambdas serializable; this one "
                        + "was created by code it did not transform)", RECREATE);
            }
            return new Refusal("hidden classes cannot be found by name in another JVM", RECREATE);
        }
        return null;
    }

    /** Classes of the runtime's own jar (not, say, tests or programs that reuse the package name). */
    private static boolean isRewindRuntime(Class<?> c) {
        if (!c.getName().startsWith("dev.rewind.internal.")) {
            return false;
        }
        CodeSource own = RefusalPolicy.class.getProtectionDomain().getCodeSource();
        CodeSource theirs = c.getProtectionDomain().getCodeSource();
        return own == null || theirs == null || Objects.equals(own.getLocation(), theirs.getLocation());
    }

    static boolean isLambda(Class<?> c) {
        return c.isHidden() && c.getName().contains("$$Lambda");
    }

    static boolean isSerializableLambda(Class<?> c) {
        return isLambda(c) && Serializable.class.isAssignableFrom(c);
    }

    private static String lambdaInterface(Class<?> c) {
        Class<?>[] interfaces = c.getInterfaces();
        return interfaces.length > 0 ? interfaces[0].getName() : "an unknown interface";
    }

    private static String lambdaCreator(Class<?> c) {
        String n = c.getName();
        return n.substring(0, n.indexOf("$$Lambda"));
    }

    private static boolean isInvokeMachinery(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            String n = k.getName();
            if (n.equals("java.lang.invoke.MethodHandle") || n.equals("java.lang.invoke.CallSite")
                    || n.equals("java.lang.invoke.MethodHandles$Lookup") || n.equals("java.lang.invoke.VarHandle")
                    || n.equals("java.lang.invoke.MethodType") || n.equals("java.lang.invoke.MemberName")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNamed(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
