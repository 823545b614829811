package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.LogLines;
import io.gatehouse.tests.support.LoggedProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's part played by python3: one script binds a TCP and a unix socket and execs the server with them as
 * fds 3 and 4 (LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES); another receives the notifications on a unix datagram
 * socket (NOTIFY_SOCKET), with WATCHDOG_USEC set. With BLOCKING=1 in its environment the TCP socket stays blocking.
 */
class SystemdTest {
    @TempDir
    Path dir;

    static final String LAUNCHER = """
            import os, socket, sys
            port, unix_path, notify = int(sys.argv[1]), sys.argv[2], sys.argv[3]
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind(("127.0.0.1", port))
            tcp.listen(128)
            tcp.setblocking(os.environ.get("BLOCKING") == "1")
            us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            us.bind(unix_path)
            us.listen(128)
            us.setblocking(False)
            t, u = os.dup(tcp.fileno()), os.dup(us.fileno())
            os.dup2(t, 3)
            os.dup2(u, 4)
            os.close(t)
            os.close(u)
            env = dict(os.environ, LISTEN_PID=str(os.getpid()), LISTEN_FDS="2", LISTEN_FDNAMES="web:admin",
                       NOTIFY_SOCKET=notify, WATCHDOG_USEC="400000")
            os.execve(sys.argv[4], sys.argv[4:], env)
            """;

    static final String RECEIVER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            with open(sys.argv[2], "a") as out:
                print("listening", flush=True)
                while True:
                    out.write(s.recv(4096).decode().replace("\\n", "|") + "\\n")
                    out.flush()
            """;

    @Test
    void servesInheritedSocketsAndTellsSystemdAboutEachStage() throws Exception {
        int port = FreePort.pick();
        Path unix = dir.resolve("admin.sock");
        Path notify = dir.resolve("notify.sock");
        Path messages = dir.resolve("notify.txt");
        Files.writeString(dir.resolve("launch.py"), LAUNCHER);
        Files.writeString(dir.resolve("receive.py"), RECEIVER);
        Path config = GatehouseProcess.write(dir, "gatehouse.yaml", """
                listeners:
                  - {protocol: http, bind: "systemd:web"}
                  - {protocol: http, bind: "fd:4"}
                apps:
                  - {name: hello, runtime: jvm, class: io.gatehouse.examples.hello.HelloApp, classpath: [%s]}
                """.formatted(GatehouseProcess.exampleClasses()));
        try (LoggedProcess receiver = new LoggedProcess("receiver", List.of("python3", "receive.py", notify.toString(),
                messages.toString()), dir, dir.resolve("receiver.log"), Map.of())) {
            Await.until("the notify socket", Duration.ofSeconds(10), () -> Files.exists(notify));
            try (LoggedProcess server = new LoggedProcess("gatehouse", List.of("python3", "launch.py",
                    Integer.toString(port), unix.toString(), notify.toString(), Distribution.launcher().toString(),
                    "run", "-c", config.toString()), dir, dir.resolve("gatehouse.log"), Map.of())) {
                Await.until("ready", Duration.ofSeconds(60), () -> {
                    server.assertAlive();
                    return server.output().contains("gatehouse ready");
                });
                assertEquals(200, httpGet(port));
                assertEquals("Hello, world!\n", curlUnix(unix));
                Await.until("READY=1", Duration.ofSeconds(5), () -> read(messages).contains("READY=1|STATUS=serving"));
                assertTrue(read(messages).contains("MAINPID=" + server.pid()), read(messages));
                Await.until("watchdog pings", Duration.ofSeconds(5),
                        () -> LogLines.count(read(messages), "WATCHDOG=1") >= 3);

                server.signal("HUP");
                Await.until("the reload", Duration.ofSeconds(10), () -> server.output().contains("reloaded"));
                String log = read(messages);
                int reloading = log.indexOf("RELOADING=1|STATUS=reloading|MONOTONIC_USEC=");
                assertTrue(reloading > 0 && log.indexOf("READY=1", reloading) > reloading, log);
                assertEquals(200, httpGet(port), "the inherited socket stays across the reload");
                assertEquals("Hello, world!\n", curlUnix(unix));

                server.signal("TERM");
                assertEquals(0, server.waitFor(Duration.ofSeconds(20)), server.output());
                Await.until("STOPPING=1", Duration.ofSeconds(5), () -> read(messages).contains("STOPPING=1"));
            }
        }
    }

    @Test
    void aSystemdBindWithoutPassedSocketsFailsWithAClearMessage() {
        Path config = GatehouseProcess.write(dir, "gatehouse.yaml", """
                listeners: [{protocol: http, bind: "systemd:web"}]
                apps:
                  - {name: hello, runtime: jvm, class: io.gatehouse.examples.hello.HelloApp, classpath: [%s]}
                """.formatted(GatehouseProcess.exampleClasses()));
        GatehouseProcess.Outcome o = GatehouseProcess.command(dir, "run", "-c", config.toString());
        assertEquals(1, o.status());
        assertTrue(o.stderr().contains("bind systemd:web: no sockets were passed to this process (LISTEN_FDS is not "
                + "set)"), o.stderr());
    }

    @Test
    void aBlockingInheritedSocketIsRefusedWithTheUnitSectionThatFixesIt() throws Exception {
        Files.writeString(dir.resolve("launch.py"), LAUNCHER);
        Path config = GatehouseProcess.write(dir, "gatehouse.yaml", """
                listeners: [{protocol: http, bind: "systemd:web"}]
                apps:
                  - {name: hello, runtime: jvm, class: io.gatehouse.examples.hello.HelloApp, classpath: [%s]}
                """.formatted(GatehouseProcess.exampleClasses()));
        try (LoggedProcess server = new LoggedProcess("gatehouse", List.of("python3", "launch.py",
                Integer.toString(FreePort.pick()), dir.resolve("admin.sock").toString(),
                dir.resolve("notify.sock").toString(), Distribution.launcher().toString(), "run", "-c",
                config.toString()), dir, dir.resolve("gatehouse.log"), Map.of("BLOCKING", "1"))) {
            assertEquals(1, server.waitFor(Duration.ofSeconds(60)), server.output());
            assertTrue(server.output().contains("bind systemd:web: fd 3 is in blocking mode; pass it non-blocking "
                    + "(NonBlocking=yes in the [Service] section of the service unit, not in the socket unit)"),
                    server.output());
        }
    }

    static int httpGet(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String curlUnix(Path socket) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "--max-time", "10", "--unix-socket", socket.toString(),
                "http://localhost/").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(15, TimeUnit.SECONDS);
        return out;
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
