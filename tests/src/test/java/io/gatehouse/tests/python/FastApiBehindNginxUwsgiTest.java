package io.gatehouse.tests.python;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.Nginx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FastAPI app of {@link FastApiAppTest} on a uwsgi listener behind Debian's nginx ({@code uwsgi_pass} with its
 * uwsgi_params): every case runs through nginx, the 50 MB upload included (nginx spools it, then streams it over
 * uwsgi; memory stays bounded in the master and the worker).
 */
class FastApiBehindNginxUwsgiTest extends FastApiAppTest {
    private Nginx nginx;

    @Override
    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        int uwsgi = FreePort.pick();
        server = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - {name: uwsgi, protocol: uwsgi, bind: "127.0.0.1:%d"}
                apps:
                %s""".formatted(uwsgi, apps().indent(2)));
        nginx = Nginx.start(dir.resolve("nginx"), """
                location / { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:%d; }
                """.formatted(uwsgi));
        port = nginx.port();
    }

    @Override
    @AfterAll
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        super.stop();
    }
}
