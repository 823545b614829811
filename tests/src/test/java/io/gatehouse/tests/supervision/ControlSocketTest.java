package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket and its verbs, the pidfile, reloads that add and remove apps and listeners, SIGUSR1. */
class ControlSocketTest {
    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();

    boolean errorLog;

    String config(int port, int port2, int stats, boolean second) {
        return """
                master: {control-socket: %s, pidfile: %s}
                stats: {bind: "127.0.0.1:%d"}
                logging: {access-log: %s%s}
                listeners:
                  - {protocol: http, bind: "127.0.0.1:%d"}
                %s
                apps:
                  - {name: hello, runtime: jvm, class: io.gatehouse.examples.hello.HelloApp, classpath: [%s]}
                %s
                """.formatted(dir.resolve("c.sock"), dir.resolve("g.pid"), stats, dir.resolve("access.log"),
                errorLog ? ", error-log: " + dir.resolve("error.log") : "", port,
                second ? "  - {name: second, protocol: http, bind: \"127.0.0.1:" + port2 + "\"}" : "",
                GatehouseProcess.exampleClasses(),
                second ? "  - {name: slow, runtime: jvm, mount: /slow, class: io.gatehouse.tests.apps.SlowApp, "
                        + "classpath: [" + Path.of("target/test-classes").toAbsolutePath() + "]}" : "");
    }

    int get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    GatehouseProcess.Outcome verb(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-s";
        all[args.length + 1] = dir.resolve("c.sock").toString();
        return GatehouseProcess.command(dir, all);
    }

    @Test
    void reloadAddsAndRemovesAppsAndListenersAndRefusesABrokenConfig() throws Exception {
        int port = FreePort.pick();
        int port2 = FreePort.pick();
        int stats = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, config(port, port2, stats, false))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c.sock"))));
            assertEquals(Long.toString(server.pid()), Files.readString(dir.resolve("g.pid")).trim());
            assertEquals(200, get(port, "/slow"), "hello, mounted at /, answers everything at first");

            GatehouseProcess.write(dir, "gatehouse.yaml", config(port, port2, stats, true));
            GatehouseProcess.Outcome added = verb("reload");
            assertEquals(0, added.status(), added.stderr());
            assertTrue(added.stdout().contains("apps added: slow"), added.stdout());
            assertTrue(added.stdout().contains("listeners added: second"), added.stdout());
            assertTrue(added.stdout().contains("replaced: hello (new code)"), added.stdout());
            assertEquals(200, get(port, "/slow?ms=1"));
            assertEquals(200, get(port2, "/"), "the added listener serves");

            GatehouseProcess.write(dir, "gatehouse.yaml", config(port, port2, stats, true) + "  - {name: x}\n");
            GatehouseProcess.Outcome refused = verb("reload");
            assertEquals(2, refused.status());
            assertTrue(refused.stderr().contains("apps[2]: missing required key 'runtime'"), refused.stderr());
            assertEquals(200, get(port2, "/"), "the running config stays");

            GatehouseProcess.write(dir, "gatehouse.yaml", config(port, port2, stats, false));
            GatehouseProcess.Outcome removed = verb("reload");
            assertEquals(0, removed.status(), removed.stderr());
            assertTrue(removed.stdout().contains("removed: slow"), removed.stdout());
            Await.until("the removed listener to close", Duration.ofSeconds(5), () -> !Await.listening(port2));

            String status = verb("status").stdout();
            assertTrue(status.contains("hello (jvm at /): ready"), status);
            assertFalse(status.contains("slow"), status);
            assertTrue(metrics(stats).contains("gatehouse_requests_total{app=\"hello\",listener=\"http@127.0.0.1:"
                    + port + "\",status=\"2xx\"}"), metrics(stats));
            String raw = rawStats(stats);
            assertTrue(raw.startsWith("{\"version\":\"gatehouse") && raw.contains("\"workers\":[{\"id\":1"), raw);

            GatehouseProcess.Outcome stop = verb("stop");
            assertEquals(0, stop.status(), stop.stderr());
            assertFalse(server.process().isAlive(), "stop returns once the master has exited");
            assertFalse(Files.exists(dir.resolve("g.pid")), "the pidfile is removed");
            assertFalse(Files.exists(dir.resolve("c.sock")));
        }
        assertEquals(3, GatehouseProcess.command(dir, "status", "-s", dir.resolve("c.sock").toString()).status(),
                "no master runs any more");
    }

    @Test
    void sigusr1ReopensLogsThatLogrotateMoved() throws Exception {
        int port = FreePort.pick();
        int stats = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, config(port, 0, stats, false))) {
            errorLog = true;
            GatehouseProcess.write(dir, "gatehouse.yaml", config(port, 0, stats, false));
            server.signal("HUP");
            Await.until("the reload to switch to the error log", Duration.ofSeconds(10),
                    () -> read("error.log").contains("reloaded"));
            assertEquals(200, get(port, "/before"));
            Await.until("the access log line", Duration.ofSeconds(5), () -> read("access.log").contains("/before"));
            Files.move(dir.resolve("access.log"), dir.resolve("access.log.1"));
            Files.move(dir.resolve("error.log"), dir.resolve("error.log.1"));
            server.signal("USR1");
            Await.until("the error log to be reopened", Duration.ofSeconds(5),
                    () -> read("error.log").contains("SIGUSR1: log files reopened"));
            assertEquals(200, get(port, "/after"));
            Await.until("the new access log line", Duration.ofSeconds(5), () -> read("access.log").contains("/after"));
            assertFalse(read("access.log").contains("/before"));
            assertFalse(read("access.log.1").contains("/after"));
            assertTrue(read("error.log.1").contains("reloaded"));
        }
    }

    String read(String name) {
        try {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    String metrics(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What uwsgitop does: connect, send nothing, read to EOF. */
    static String rawStats(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
