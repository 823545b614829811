package io.gatehouse.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The kernel's list of TCP connections (/proc/net/tcp), for tests of how a front server keeps its connections. */
public final class TcpConnections {
    private TcpConnections() {
    }

    /** Connections in state ESTABLISHED to 127.0.0.1:{@code port}, as the connecting side lists them. */
    public static long establishedTo(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        try {
            return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1).map(String::trim)
                    .map(l -> l.split("\\s+")).filter(f -> f.length > 3 && f[2].endsWith(hexPort) && f[3].equals("01"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
