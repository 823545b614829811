package io.gatehouse.tests.scgi;

import io.gatehouse.tests.frontend.AppFlavour;
import io.gatehouse.tests.frontend.GatewayCases;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Lighttpd;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/** lighttpd's mod_scgi speaking SCGI ({@code scgi.protocol = "scgi"}, its default) to a Gatehouse scgi listener. */
class LighttpdScgiTest extends GatewayCases {
    @TempDir
    static Path dir;
    static GatehouseProcess gatehouse;
    static Lighttpd lighttpd;

    @BeforeParameterizedClassInvocation
    static void start(AppFlavour apps) {
        int port = FreePort.pick();
        Path root = dir.resolve(apps.name().toLowerCase());
        gatehouse = startGatehouse(root.resolve("gatehouse"), apps, """
                listeners:
                  - protocol: scgi
                    bind: 127.0.0.1:%d
                """.formatted(port));
        try {
            lighttpd = Lighttpd.start(root.resolve("lighttpd"), List.of("mod_scgi"), """
                    scgi.protocol = "scgi"
                    scgi.server = ( "/" => (( "host" => "127.0.0.1", "port" => %d,
                                              "check-local" => "disable", "fix-root-scriptname" => "enable" )) )
                    """.formatted(port));
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        try {
            lighttpd.close();
        } finally {
            gatehouse.close();
        }
    }

    @Override
    protected String base() {
        return lighttpd.url();
    }

    @Override
    protected String protocol() {
        return "scgi";
    }
}
