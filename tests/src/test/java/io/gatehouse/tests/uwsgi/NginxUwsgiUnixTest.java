package io.gatehouse.tests.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.frontend.AppFlavour;
import io.gatehouse.tests.frontend.GatewayCases;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * nginx → uwsgi_pass unix:/path, the socket made with mode 0660, with {@code uwsgi_request_buffering off}: request
 * bodies stream through nginx (chunked ones it still reads whole, as uwsgi cannot frame them). The /app location
 * uses the idiom of Flask's deployment docs (uwsgi_param SCRIPT_NAME /app; uwsgi_modifier1 30), whose PATH_INFO
 * still starts with /app.
 */
class NginxUwsgiUnixTest extends GatewayCases {
    @TempDir
    static Path dir;
    static Path socket;
    static GatehouseProcess gatehouse;
    static Nginx nginx;

    @BeforeParameterizedClassInvocation
    static void start(AppFlavour apps) {
        Path root = dir.resolve(apps.name().toLowerCase());
        socket = root.resolve("uwsgi.sock");
        gatehouse = startGatehouse(root.resolve("gatehouse"), apps, """
                listeners:
                  - protocol: uwsgi
                    bind: unix:%s
                    mode: "0660"
                """.formatted(socket));
        try {
            nginx = Nginx.start(root.resolve("nginx"), """
                    uwsgi_request_buffering off;
                    location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:%1$s; }
                    location /app/ {
                        include /etc/nginx/uwsgi_params;
                        uwsgi_param SCRIPT_NAME /app;
                        uwsgi_modifier1 30;
                        uwsgi_pass unix:%1$s;
                    }
                    """.formatted(socket));
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        try {
            nginx.close();
        } finally {
            gatehouse.close();
        }
    }

    @Override
    protected String base() {
        return nginx.url();
    }

    @Override
    protected String protocol() {
        return "uwsgi";
    }

    @Test
    void socketHasTheConfiguredMode() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }
}
