package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the ASGI runtime adds, with Debian's FastAPI in one worker: the lifespan startup before serving, many slow
 * requests at once on one event loop, a client that leaves seen by the app, and harakiri, which cancels an awaiting
 * task and spares its worker, but kills a worker whose loop a synchronous call blocks; and with a plain ASGI app,
 * concurrency as the worker's capacity, then the queue, then 503.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AsgiAppTest extends PythonServerCase {
    private static final int SLOW_REQUESTS = 30;

    private Path marks() {
        return dir.resolve("marks");
    }

    @Override
    String apps() {
        try {
            Files.createDirectories(marks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PythonApps.app("fastapi", "/", "ASGI_MARKS: \"" + marks() + "\"", "module: fastapi_app:app\nchdir: "
                + PythonApps.dir() + "\nworkers: 1\nconcurrency: 50\nharakiri: 3s\nharakiri-grace: 2s")
                + PythonApps.app("tiny", "/tiny", PythonApps.module("supervised_asgi_app",
                "workers: 1\nconcurrency: 2\nqueue: 1"));
    }

    /** GETs of {@code path} sent at once, without waiting for one another. */
    private List<CompletableFuture<HttpResponse<String>>> getAtOnce(String path, int count) {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(PythonApps.CLIENT.sendAsync(HttpRequest.newBuilder(PythonApps.uri(port, path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        return all;
    }

    private long pid() {
        return Long.parseLong(get(port, "/pid").body().trim());
    }

    @Test
    @Order(1)
    void runsTheLifespanStartupBeforeServing() {
        assertEquals("{\"startup_marked\":true}", get(port, "/lifespan-state").body());
        assertTrue(server.output().contains("app 'fastapi': its callable is async, an ASGI application: serving it as "
                + "ASGI"), server.output());
    }

    @Test
    @Order(2)
    void servesManySlowRequestsAtOnceOnOneWorker() {
        long began = System.nanoTime();
        Set<String> pids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> r : getAtOnce("/sleep?ms=1500", SLOW_REQUESTS)) {
            HttpResponse<String> response = r.join();
            assertEquals(200, response.statusCode(), response.body());
            pids.add(response.body().trim());
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(1, pids.size(), "one worker: " + pids);
        assertTrue(millis < 1500L * 4, SLOW_REQUESTS + " requests of 1.5 s took " + millis + " ms: not at once");
    }

    @Test
    @Order(3)
    void theAppSeesAClientThatLeaves() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            OutputStream out = client.getOutputStream();
            out.write("GET /wait-for-disconnect/t1 HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(500);
        }
        Await.until("the app to see its client leave", Duration.ofSeconds(10), () -> {
            try (var files = Files.list(marks())) {
                return files.anyMatch(f -> f.getFileName().toString().startsWith("disconnected-t1-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    @Order(4)
    void aWorkerAtItsConcurrencyQueuesThenAnswers503WithRetryAfter() {
        List<HttpResponse<String>> answers = getAtOnce("/tiny/?ms=2000", 4).stream().map(CompletableFuture::join)
                .sorted(Comparator.comparingInt(HttpResponse::statusCode)).toList();
        assertEquals(List.of(200, 200, 200, 503), answers.stream().map(HttpResponse::statusCode).toList(),
                "two at once on the worker, one queued, one refused");
        assertEquals("1", answers.get(3).headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    @Order(5)
    void harakiriCancelsAnAwaitingTaskAndSparesItsWorker() {
        long before = pid();
        CompletableFuture<HttpResponse<String>> stuck = getAtOnce("/sleep?ms=20000", 1).get(0);
        CompletableFuture<HttpResponse<String>> beside = getAtOnce("/sleep?ms=2500", 1).get(0);
        HttpResponse<String> overdue = stuck.join();
        assertEquals(504, overdue.statusCode(), overdue.body());
        HttpResponse<String> other = beside.join();
        assertEquals(200, other.statusCode(), "the request beside it finishes: " + other.body());
        assertEquals(before + "\n", other.body());
        assertEquals(before, pid(), "the worker stays");
        // the 504 is the master's; the worker's lines about the cancel come through its output a moment later,
        // one log line per stack line, so wait for the app's own frame rather than the heading
        Await.until("the worker to log the cancelled task down to the app's frame", Duration.ofSeconds(10), () -> {
            String log = server.output();
            return log.contains("harakiri: cancelling GET /sleep?ms=20000, waiting at:") && log.contains("in sleep\n");
        });
        String log = server.output();
        assertTrue(!log.contains("died (exit status"), log);
    }

    @Test
    @Order(6)
    void harakiriKillsAWorkerWhoseEventLoopIsBlocked() {
        long before = pid();
        HttpResponse<String> blocked = get(port, "/block?ms=20000");
        assertEquals(504, blocked.statusCode(), blocked.body());
        Await.until("the blocked worker to be replaced", Duration.ofSeconds(20), () -> {
            HttpResponse<String> r = get(port, "/pid");
            return r.statusCode() == 200 && Long.parseLong(r.body().trim()) != before;
        });
        String log = server.output();
        assertTrue(log.contains("(pid " + before + ") did not answer within harakiri-grace 2000 ms after harakiri "
                + "cancelled a task: its event loop is blocked"), log);
        assertTrue(log.contains("(pid " + before + ") died (exit status 137: "), log);
    }
}
