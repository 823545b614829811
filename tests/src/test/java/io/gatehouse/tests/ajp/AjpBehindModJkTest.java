package io.gatehouse.tests.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.tests.support.GatehouseProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AJP listener behind Apache's mod_jk: a pooled worker with the secret, CPING before each request and on idle
 * connections (ping_mode A; the watchdog maintains the pool every second), and packets of 65536 bytes on both
 * sides.
 */
class AjpBehindModJkTest extends AjpThroughApache {

    @Override
    List<String> modules() {
        return List.of("jk");
    }

    @Override
    String globalConfig(Path dir) {
        GatehouseProcess.write(dir, "workers.properties", """
                worker.list=gh,wrong,small
                worker.maintain=1
                worker.gh.type=ajp13
                worker.gh.host=127.0.0.1
                worker.gh.port=%1$d
                worker.gh.secret=%2$s
                worker.gh.ping_mode=A
                worker.gh.ping_timeout=10000
                worker.gh.connection_ping_interval=1
                worker.gh.max_packet_size=65536
                worker.wrong.type=ajp13
                worker.wrong.host=127.0.0.1
                worker.wrong.port=%1$d
                worker.wrong.secret=not-the-secret
                worker.wrong.max_packet_size=65536
                worker.small.type=ajp13
                worker.small.host=127.0.0.1
                worker.small.port=%3$d
                worker.small.secret=%2$s
                worker.small.max_packet_size=65536
                """.formatted(ajpPort, SECRET, smallPort));
        return """
                JkWorkersFile %1$s/workers.properties
                JkShmFile %1$s/run/jk.shm
                JkLogFile %1$s/mod_jk.log
                JkLogLevel info
                JkWatchdogInterval 1
                """.formatted(dir);
    }

    @Override
    String routes() {
        return """
                JkOptions +ForwardKeySize
                JkEnvVar TENANT acme
                JkEnvVar OTHER x
                JkMount /wrong/* wrong
                JkMount /small/* small
                JkMount /* gh
                """;
    }

    @Override
    int packetSize() {
        return 65536;
    }

    @Override
    String listenerOptions() {
        return "header-timeout: 2s";
    }

    @Test
    void keepsPooledConnectionsThroughIdleCpingsPastTheHeaderTimeout() throws Exception {
        assertEquals(200, get("/app/before").statusCode());
        Thread.sleep(5000);
        HttpResponse<String> after = get("/app/after");
        assertEquals(200, after.statusCode(), failure(after));
        assertFalse(gatehouse.output().contains("408"), "an idle connection was timed out:\n" + gatehouse.output());
    }
}
