package io.gatehouse.tests.supervision;

import static io.gatehouse.tests.support.LogLines.count;
import static io.gatehouse.tests.support.LogLines.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.tests.python.SupervisedApp;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.Wrk;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * max-requests and reload-on-rss recycle python workers (WSGI and ASGI) while wrk keeps each app busy, without
 * failing a request: a replacement starts at once, the old worker finishes what it runs and then stops. The
 * reload-on-rss app keeps 128 KiB per request, so its workers pass the 48 MiB limit every few hundred requests.
 */
class PythonRecycleUnderLoadTest {
    static final int LOAD_SECONDS = 10;
    static final int MAX_REQUESTS = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SupervisedApp.class)
    void maxRequestsAndReloadOnRssRecyclePythonWorkersUnderLoadWithoutFailingARequest(SupervisedApp kind)
            throws Exception {
        int port = FreePort.pick();
        String apps = kind.app("recycled", "/recycled", 2, "workers: 2\npreload: true\nmax-requests: " + MAX_REQUESTS)
                + kind.app("growing", "/growing", 2, "workers: 2\nreload-on-rss: 48MiB");
        try (GatehouseProcess server = GatehouseProcess.start(dir, "master: {control-socket: " + dir.resolve("c.sock")
                + "}\n" + GatehouseYaml.httpSite(port, apps));
                Wrk recycled = Wrk.start(dir, "http://127.0.0.1:" + port + "/recycled/", 1, 8, LOAD_SECONDS);
                Wrk growing = Wrk.start(dir, "http://127.0.0.1:" + port + "/growing/?grow-kb=128", 1, 8,
                        LOAD_SECONDS)) {
            Wrk.Result r = recycled.await();
            Wrk.Result g = growing.await();
            System.out.println("wrk against max-requests " + MAX_REQUESTS + ":\n" + r.output()
                    + "\nwrk against reload-on-rss:\n" + g.output());
            for (Wrk.Result each : new Wrk.Result[] {r, g}) {
                assertEquals(0, each.non2xx(), each.output());
                assertEquals(0, each.socketErrors(), each.output());
            }
            String byCountLine = "served max-requests " + MAX_REQUESTS + "; recycling it";
            String bySizeLine = "over reload-on-rss " + (48L << 20) + "; recycling it";
            // A worker's memory is read once a second, so the last recycles may follow the load by a second.
            Await.until("gatehouse status to count the recycles the log shows", Duration.ofSeconds(10), () -> {
                long recycles = 0;
                for (JsonNode app : ControlStatus.read(dir.resolve("c.sock")).path("apps")) {
                    recycles += app.path("recycles").asLong();
                }
                String log = server.output();
                return recycles == count(log, byCountLine) + count(log, bySizeLine);
            });
            String log = server.output();
            long byCount = count(log, byCountLine);
            assertTrue(byCount >= r.requests() / MAX_REQUESTS - 2 && byCount > 2, byCount + " recycles for "
                    + r.requests() + " requests:\n" + log);
            long bySize = count(log, bySizeLine);
            assertTrue(bySize >= 2, bySize + " recycles for " + g.requests() + " requests:\n" + log);
            assertEquals(0, problems(log), "no worker died or was killed:\n" + log);
        }
    }
}
