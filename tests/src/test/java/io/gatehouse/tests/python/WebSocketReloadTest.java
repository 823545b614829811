package io.gatehouse.tests.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A graceful reload (SIGHUP) under mixed load: HTTP requests keep coming while WebSockets are open on the old
 * workers. Not one HTTP request fails, and every WebSocket gets a close frame with 1012 (service restart) once
 * reload-mercy has run out, not a reset. The load lasts {@code -Dgatehouse.websocket.reload-seconds} (10 by default;
 * the minute: 60), the reload comes a quarter of the way in.
 */
class WebSocketReloadTest extends PythonServerCase {
    private static final int SOCKETS = 10;
    private static final int HTTP_CLIENTS = 4;
    private static final long LOAD_SECONDS = Long.getLong("gatehouse.websocket.reload-seconds", 10);

    @Override
    String apps() {
        return PythonApps.app("ws", "/", PythonApps.module("websocket_app:app",
                "workers: 2\ninterface: asgi\nreload-mercy: 2s"));
    }

    @Test
    void reloadFailsNoHttpRequestAndClosesEverySocketWith1012() throws Exception {
        Process holder = WebSocketClient.start("hold", "ws://127.0.0.1:" + port + "/pid", Integer.toString(SOCKETS),
                Long.toString(LOAD_SECONDS + 30));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("ready " + SOCKETS + " "), ready);
            AtomicInteger ok = new AtomicInteger();
            AtomicReference<String> failure = new AtomicReference<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < HTTP_CLIENTS; i++) {
                Thread t = new Thread(() -> getUntil(end, ok, failure), "http-load-" + i);
                t.start();
                load.add(t);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(LOAD_SECONDS) / 4);
            server.signal("HUP");
            for (Thread t : load) {
                t.join(TimeUnit.SECONDS.toMillis(LOAD_SECONDS + 30));
            }
            List<String> closes = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                closes.add(line);
            }
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertEquals(null, failure.get(), "an HTTP request failed during the reload");
            assertTrue(ok.get() > 20, "only " + ok.get() + " HTTP requests went through");
            assertEquals(java.util.Collections.nCopies(SOCKETS, "closed 1012"), closes, server.output());
            assertTrue(server.output().contains("reloaded: replaced: ws"), server.output());
            assertTrue(server.output().contains("WebSocket(s) after reload-mercy"), server.output());
            assertFalse(server.output().contains("did not stop within reload-mercy"), server.output());
        } finally {
            holder.destroyForcibly();
        }
    }

    private void getUntil(long end, AtomicInteger ok, AtomicReference<String> failure) {
        while (System.nanoTime() < end && failure.get() == null) {
            try {
                HttpResponse<String> r = PythonApps.CLIENT.send(HttpRequest.newBuilder(PythonApps.uri(port, "/plain"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ok.incrementAndGet();
                } else {
                    failure.compareAndSet(null, "status " + r.statusCode() + ": " + r.body());
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e.toString());
            }
        }
    }
}
