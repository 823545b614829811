package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.examples.hello.HelloApp;
import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.LogLines;
import io.gatehouse.tests.support.Wrk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uWSGI's emperor, done simply: files dropped into the apps-dir start their apps (and listeners), a changed file
 * reloads its apps, a removed one stops them, and a file with errors (or one that takes another file's app name) is
 * refused while everything else runs on; all while wrk keeps an app of another file busy, which fails not one
 * request and keeps its workers. No reload is asked for: the master watches the directory.
 */
class AppsDirUnderLoadTest {
    static final int LOAD_SECONDS = 45;
    static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();
    Path socket;

    int status(int port, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    Path drop(String name, String yaml) throws Exception {
        Path tmp = dir.resolve("apps.d/." + name + ".tmp");
        Files.writeString(tmp, yaml);
        // A rename, as config tools write: the watch never sees half a file.
        return Files.move(tmp, dir.resolve("apps.d/" + name), StandardCopyOption.ATOMIC_MOVE);
    }

    JsonNode appsFile(Path file) {
        for (JsonNode f : ControlStatus.read(socket).path("apps_files")) {
            if (f.path("file").asText().equals(file.toString())) {
                return f;
            }
        }
        return null;
    }

    int generation(String app) {
        for (JsonNode a : ControlStatus.read(socket).path("apps")) {
            if (a.path("name").asText().equals(app)) {
                return a.path("generation").asInt();
            }
        }
        return -1;
    }

    @Test
    void filesAddedChangedBrokenAndRemovedUnderLoadFailNoRequestOfTheOtherApps() throws Exception {
        int port = FreePort.pick();
        int port2 = FreePort.pick();
        socket = dir.resolve("control.sock");
        Files.createDirectories(dir.resolve("apps.d"));
        Path stable = drop("stable.yaml", "apps:\n" + GatehouseYaml.jvmApp("stable", "/stable",
                HelloApp.class).indent(2) + "    workers: 2\n    threads: 4\n");
        try (GatehouseProcess server = GatehouseProcess.start(dir, "master: {control-socket: " + socket
                + ", watch-interval: 200ms}\napps-dir: apps.d\n" + GatehouseYaml.httpSite(port, "[]"));
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/stable", 2, 8, LOAD_SECONDS)) {
            assertEquals(200, status(port, "/stable"));

            Path extra = drop("extra.yaml", "listeners: [{name: extra, protocol: http, bind: '127.0.0.1:" + port2
                    + "'}]\napps:\n" + GatehouseYaml.jvmApp("extra", "/extra", EchoApp.class).indent(2));
            Await.until("the added file's app", STEP, () -> status(port, "/extra") == 200);
            assertEquals(200, status(port2, "/extra"), "and its listener");
            LogLines.assertLoggedOnce(server, "apps-dir: " + extra + " added; reloading its apps");

            Path py = drop("py.yaml", "apps:\n" + PythonApps.app("py", "/py",
                    PythonApps.module("supervised_app", "")).indent(2));
            Await.until("the python app", STEP, () -> status(port, "/py") == 200);

            drop("extra.yaml", Files.readString(extra).replace("/extra", "/moved"));
            Await.until("the changed file's app to move", STEP, () -> status(port, "/moved") == 200);
            assertEquals(404, status(port, "/extra"));
            assertEquals(2, generation("extra"), "a changed file reloads its apps");

            Path broken = drop("broken.yaml", "apps:\n  - {name: broken, runtime: jvm, class: x.Y, workers: 0}\n");
            Path clash = drop("clash.yaml", "apps:\n  - {name: stable, runtime: static, root: ., mount: /x}\n");
            drop("py.yaml", Files.readString(py).replace("mount: /py", "mount: py"));
            Await.until("three files refused", STEP, () -> appsFile(broken) != null && appsFile(clash) != null
                    && appsFile(py).path("state").asText().equals("refused"));
            assertEquals("[\"" + broken + ":2:55: apps[0].workers: must be at least 1, got 0\"]",
                    appsFile(broken).path("errors").toString());
            assertTrue(appsFile(clash).path("errors").get(0).asText().startsWith(clash + ":2:5: apps[0]: app name "
                    + "'stable' is already declared at " + stable + ":2:5"), appsFile(clash).toString());
            assertEquals(200, status(port, "/py"), "the refused file's previous app runs on");
            assertEquals("[\"py\"]", appsFile(py).path("apps").toString());
            GatehouseProcess.Outcome check = GatehouseProcess.command(dir, "check", "-c",
                    dir.resolve("gatehouse.yaml").toString());
            assertEquals(2, check.status(), check.stdout());
            assertTrue(check.stderr().contains(broken + ":2:55: apps[0].workers: must be at least 1, got 0"),
                    check.stderr());
            String status = GatehouseProcess.command(dir, "status", "-s", socket.toString()).stdout();
            assertTrue(status.contains("    declared in " + stable + "\n"), status);
            assertTrue(status.contains("  " + py + ": refused, running py\n"), status);

            Files.delete(extra);
            Await.until("the removed file's app to stop", STEP, () -> status(port, "/moved") == 404);
            Await.until("its listener to close", STEP, () -> !Await.listening(port2));

            Wrk.Result r = wrk.await();
            System.out.println("wrk while apps-dir files came and went:\n" + r.output());
            assertTrue(r.requests() > 1000, r.output());
            assertEquals(0, r.non2xx(), r.output());
            assertEquals(0, r.socketErrors(), r.output());
            assertEquals(1, generation("stable"), "the untouched file's app kept its workers");
            server.assertAlive();
        }
    }
}
