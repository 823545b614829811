package io.gatehouse.tests.support;

import java.nio.file.Path;
import java.util.List;

/**
 * Debian's haproxy in the foreground ({@code -db}) with the frontends and backends the test writes; it waits until
 * the frontend on {@code port} accepts connections. Logs nothing but its own warnings, to its output file.
 */
public final class Haproxy extends FrontServer {
    private Haproxy(Path dir, int port, Path conf) {
        super("haproxy", List.of("/usr/sbin/haproxy", "-db", "-f", conf.toString()), dir, port);
    }

    /**
     * Starts haproxy in {@code dir} with {@code sections} (frontends and backends, where {@code {port}} is replaced
     * by the port returned by {@link #port()}) after a global section and TCP-mode defaults with bounded timeouts.
     */
    public static Haproxy start(Path dir, String sections) {
        int port = FreePort.pick();
        mkdirs(dir);
        String conf = """
                global
                    maxconn 256
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                %s""".formatted(sections.replace("{port}", Integer.toString(port)));
        return new Haproxy(dir, port, GatehouseProcess.write(dir, "haproxy.cfg", conf));
    }
}
