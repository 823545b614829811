package io.gatehouse.tests.uwsgi;

import io.gatehouse.tests.frontend.AppFlavour;
import io.gatehouse.tests.frontend.GatewayCases;
import io.gatehouse.tests.support.Apache;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * Apache httpd's mod_proxy_uwsgi ({@code ProxyPass / uwsgi://...}) in front of a Gatehouse uwsgi listener.
 * mod_proxy_uwsgi refuses chunked request bodies itself (411 Length Required), before Gatehouse sees them.
 */
class ApacheUwsgiTest extends GatewayCases {
    @TempDir
    static Path dir;
    static GatehouseProcess gatehouse;
    static Apache apache;

    @BeforeParameterizedClassInvocation
    static void start(AppFlavour apps) {
        int port = FreePort.pick();
        Path root = dir.resolve(apps.name().toLowerCase());
        gatehouse = startGatehouse(root.resolve("gatehouse"), apps, """
                listeners:
                  - protocol: uwsgi
                    bind: 127.0.0.1:%d
                """.formatted(port));
        try {
            apache = Apache.start(root.resolve("apache"), List.of("proxy", "proxy_uwsgi"),
                    "ProxyPass / uwsgi://127.0.0.1:" + port + "/\n");
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        try {
            apache.close();
        } finally {
            gatehouse.close();
        }
    }

    @Override
    protected String base() {
        return apache.url();
    }

    @Override
    protected String protocol() {
        return "uwsgi";
    }

    @Override
    protected boolean passesChunkedBodies() {
        return false;
    }
}
