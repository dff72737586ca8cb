package dev.rewind.internal.agent;

import com.sun.tools.attach.VirtualMachine;

/**
 * The helper process of {@link JdkAccess}: attaches to a JVM and loads Rewind's jar into it as an
 * agent that only opens java.base. Arguments: the target's pid and the jar. Exit code 0 when done.
 */
public final class Attacher {
    private Attacher() {
    }

    /** @param args pid, jar */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Attacher PID JAR");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgent(args[1], JdkAccess.OPEN_ONLY);
        } finally {
            vm.detach();
        }
    }
}
