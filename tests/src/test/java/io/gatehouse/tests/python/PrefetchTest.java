package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.LoggedProcess;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code prefetch}: requests sent ahead to a busy worker run in turn, count harakiri from when each begins, and go to
 * another worker when theirs dies before it began them.
 */
class PrefetchTest extends PythonServerCase {
    @Override
    String apps() {
        return PythonApps.app("ahead", "/ahead", PythonApps.lifecycleApp("prefetch: 2\nharakiri: 3s"))
                + PythonApps.app("killed", "/killed", PythonApps.lifecycleApp("prefetch: 2"));
    }

    CompletableFuture<HttpResponse<String>> later(String path) {
        return CompletableFuture.supplyAsync(() -> get(port, path));
    }

    @Test
    void requestsSentAheadRunInTurnAndHarakiriCountsFromWhenEachBegins() throws Exception {
        // one worker, three requests of 1.8 s: the last ends 5.4 s after it was sent, 1.8 s after it began
        List<CompletableFuture<HttpResponse<String>>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(later("/ahead/sleep?ms=1800"));
        }
        List<String> pids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> run : runs) {
            HttpResponse<String> r = run.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            pids.add(r.body().trim());
        }
        assertEquals(1, pids.stream().distinct().count(), "one worker ran them all: " + pids);
    }

    @Test
    void aKilledWorkersRequestsSentAheadGoToItsReplacement() throws Exception {
        String victim = get(port, "/killed/pid").body().split(" ")[0];
        CompletableFuture<HttpResponse<String>> running = later("/killed/sleep?ms=20000");
        Thread.sleep(500);
        List<CompletableFuture<HttpResponse<String>>> ahead = List.of(later("/killed/pid"), later("/killed/pid"));
        Thread.sleep(500);
        LoggedProcess.signal(Long.parseLong(victim), "KILL");
        assertEquals(502, running.get(30, TimeUnit.SECONDS).statusCode(), "the request it ran fails");
        List<String> servedBy = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> run : ahead) {
            HttpResponse<String> r = run.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), "a request it never began is not failed: " + r.body());
            servedBy.add(r.body().split(" ")[0]);
        }
        assertTrue(servedBy.stream().noneMatch(victim::equals), "the replacement served them: " + servedBy
                + ", victim " + victim);
    }
}
