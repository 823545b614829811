package io.gatehouse.core.listener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Why a bind of a low port was refused, and the three ways out, for the message that reports it. */
public final class PrivilegedPorts {
    private static final Path UNPRIVILEGED_START = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    private static final int DEFAULT_START = 1024;

    private PrivilegedPorts() {
    }

    /**
     * What to add to the message of a failed bind of {@code port}: the hint when the kernel refused it for want of
     * CAP_NET_BIND_SERVICE, else nothing.
     */
    public static String hint(int port, Throwable failure) {
        int start = unprivilegedStart();
        if (port <= 0 || port >= start || !deniedPermission(failure)) {
            return "";
        }
        return "; ports under " + start + " need CAP_NET_BIND_SERVICE: start gatehouse as root (with master.user "
                + "to drop to a user once bound), give it the capability (systemd: "
                + "AmbientCapabilities=CAP_NET_BIND_SERVICE), or let systemd bind it (socket activation: "
                + "bind: systemd:NAME). After master.user has dropped, a reload cannot bind such a port";
    }

    private static boolean deniedPermission(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("Permission denied") || message.contains("EACCES"))) {
                return true;
            }
        }
        return false;
    }

    private static int unprivilegedStart() {
        // One read into a buffer of its own: a sysctl file answers only the read at offset 0, so a reader that
        // starts with a small buffer (Files.readString, as /proc reports a size of 0) would get its first byte.
        try (InputStream in = Files.newInputStream(UNPRIVILEGED_START)) {
            byte[] buf = new byte[32];
            int n = in.read(buf);
            return n > 0 ? Integer.parseInt(new String(buf, 0, n, StandardCharsets.US_ASCII).strip()) : DEFAULT_START;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_START;
        }
    }
}
