package dev.rewind.internal.store;

import java.net.InetAddress;

/** The name of this machine, for manifests and lock messages. */
final class Hosts {
    private static volatile String name;

    private Hosts() {
    }

    static String name() {
        String n = name;
        if (n == null) {
            n = System.getenv("HOSTNAME");
            if (n == null || n.isBlank()) {
                try {
                    n = InetAddress.getLocalHost().getHostName();
                } catch (Exception e) {
                    n = "unknown-host";
                }
            }
            name = n;
        }
        return n;
    }
}
