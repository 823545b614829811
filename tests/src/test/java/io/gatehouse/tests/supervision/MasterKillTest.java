package io.gatehouse.tests.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.LoggedProcess;
import io.gatehouse.tests.support.ProcessTable;
import io.gatehouse.tests.support.RawHttp;
import io.gatehouse.tests.support.RawUwsgi;
import io.gatehouse.tests.support.Wrk;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL of the master under load: no Python worker, fork server or CGI script outlives it by more than a second,
 * with both guards on, with the parent-death signal off (the end of the connections alone), and with the end of the
 * connections ignored (the parent-death signal alone; GATEHOUSE_TEST_ORPHAN_GUARD is the worker script's test
 * switch). Then a new master starts over the dead one's stale unix sockets and run directory. A fork server killed
 * alone takes its workers with it, and the pool replaces them.
 */
class MasterKillTest {
    static final int WORKERS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "guards: {0}")
    @ValueSource(strings = {"both", "eof", "pdeathsig"})
    void noWorkerForkServerOrScriptOutlivesAMasterKilledUnderLoad(String guard) throws Exception {
        int port = FreePort.pick();
        String app = "orphan-" + guard + "-" + Long.toHexString(System.nanoTime());
        Path slow = GatehouseProcess.write(dir, "cgi-bin/slow.py", "import time\nprint('Content-Type: text/plain')\n"
                + "print(flush=True)\ntime.sleep(30)\n");
        List<String> markers = List.of(app, slow.toString());
        Map<String, String> env = new HashMap<>(Map.of("GATEHOUSE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp()));
        if (!guard.equals("both")) {
            env.put("GATEHOUSE_TEST_ORPHAN_GUARD", guard);
        }
        String yaml = config(port, app);
        List<AutoCloseable> open = new ArrayList<>();
        List<Long> survivors = List.of();
        try (GatehouseProcess server = GatehouseProcess.start(dir, yaml, env);
                Wrk wrk = Wrk.start(dir, "http://127.0.0.1:" + port + "/py/?ms=5", 2, 16, 20)) {
            Await.until(WORKERS + " workers", Duration.ofSeconds(30),
                    () -> ControlStatus.readyPids(dir.resolve("control.sock"), app).size() == WORKERS);
            open.add(inFlight(port, "/cgi/slow.py"));
            if (!guard.equals("eof")) {
                // stuck in the app's own code, this worker cannot see its lane close: only the signal ends it
                open.add(inFlight(port, "/py/?ms=30000"));
            }
            Await.until("the CGI script to run", Duration.ofSeconds(10),
                    () -> !ProcessTable.matching(slow.toString()).isEmpty());
            Thread.sleep(1000);
            List<Long> before = ProcessTable.matching(markers);
            assertTrue(before.size() >= WORKERS + 2, "the fork server, " + WORKERS + " workers, the script: " + before);

            long killed = System.nanoTime();
            server.process().destroyForcibly();
            survivors = ProcessTable.awaitNone(markers, killed + 1_000_000_000L);
            long gone = System.nanoTime();
            System.out.printf("guards %s: %d processes of the killed master gone in %d ms%n", guard, before.size(),
                    (gone - killed) / 1_000_000);
            assertEquals(List.of(), survivors, "alive a second after the master's SIGKILL:"
                    + ProcessTable.describe(survivors));
        } finally {
            ProcessTable.kill(ProcessTable.matching(markers));
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        if (guard.equals("both")) {
            restartsOverTheStaleSocketsAndRunDirectory(port, yaml, env);
        }
    }

    @Test
    void aForkServerKilledAloneTakesItsWorkersWithItAndThePoolReplacesThem() throws Exception {
        int port = FreePort.pick();
        String app = "forkserver-" + Long.toHexString(System.nanoTime());
        Path control = dir.resolve("control.sock");
        try (GatehouseProcess server = GatehouseProcess.start(dir, config(port, app))) {
            Await.until(WORKERS + " workers", Duration.ofSeconds(30),
                    () -> ControlStatus.readyPids(control, app).size() == WORKERS);
            List<Long> workers = ControlStatus.readyPids(control, app);
            Matcher m = Pattern.compile("app '" + app + "': fork server pid (\\d+) started").matcher(server.output());
            assertTrue(m.find(), server.output());
            long killed = System.nanoTime();
            LoggedProcess.signal(Long.parseLong(m.group(1)), "KILL");
            for (long pid : workers) {
                Await.until("worker " + pid + " to die with its fork server", Duration.ofSeconds(1),
                        () -> !ProcessTable.alive(pid));
            }
            System.out.printf("a killed fork server's %d workers gone in %d ms%n", workers.size(),
                    (System.nanoTime() - killed) / 1_000_000);
            Await.until("a new generation of workers", Duration.ofSeconds(30), () -> {
                List<Long> now = ControlStatus.readyPids(control, app);
                return now.size() == WORKERS && now.stream().noneMatch(workers::contains);
            });
            assertTrue(RawHttp.exchange(port, "GET /py/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .startsWith("HTTP/1.1 200 OK"));
        }
    }

    /** The dead master's unix sockets and run directory are still there; a new master clears them and serves. */
    private void restartsOverTheStaleSocketsAndRunDirectory(int port, String yaml, Map<String, String> env)
            throws Exception {
        assertTrue(Files.exists(dir.resolve("uwsgi.sock")) && Files.exists(dir.resolve("control.sock")));
        List<Path> stale = runDirectories();
        assertEquals(1, stale.size(), stale.toString());
        try (GatehouseProcess server = GatehouseProcess.start(dir, yaml, env)) {
            String log = server.output();
            assertTrue(log.contains("listener uwsgi: removed the stale socket " + dir.resolve("uwsgi.sock")), log);
            assertTrue(log.contains("control socket: removed the stale socket " + dir.resolve("control.sock")), log);
            assertTrue(log.contains("removed the run directory " + stale.get(0)), log);
            List<Path> now = runDirectories();
            assertEquals(1, now.size(), now.toString());
            assertTrue(!now.equals(stale), "a new one");
            assertTrue(RawHttp.exchange(port, "GET /py/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .startsWith("HTTP/1.1 200 OK"));
            assertTrue(uwsgi(RawUwsgi.get("/py/").packet()).startsWith("HTTP/1.1 200 OK"));
        }
    }

    private String config(int port, String app) throws IOException {
        Files.createDirectories(dir.resolve("cgi-bin"));
        return """
                master: {control-socket: %s}
                listeners:
                  - {name: web, protocol: http, bind: "127.0.0.1:%d"}
                  - {name: uwsgi, protocol: uwsgi, bind: "unix:%s"}
                apps:
                  - name: scripts
                    runtime: cgi
                    mount: /cgi
                    root: %s
                    interpreters: {".py": %s}
                    threads: 2
                %s""".formatted(dir.resolve("control.sock"), port, dir.resolve("uwsgi.sock"), dir.resolve("cgi-bin"),
                PythonApps.PYTHON, PythonApps.app(app, "/py", PythonApps.module("supervised_app",
                        "preload: true\nworkers: " + WORKERS + "\nthreads: 2")).indent(2));
    }

    private Path tmp() throws IOException {
        return Files.createDirectories(dir.resolve("tmp"));
    }

    private List<Path> runDirectories() throws IOException {
        try (Stream<Path> all = Files.list(tmp())) {
            return all.filter(p -> p.getFileName().toString().startsWith("gatehouse-")).toList();
        }
    }

    /** A request sent and left waiting on its answer (the connection stays open until closed). */
    private static Socket inFlight(int port, String path) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private String uwsgi(byte[] packet) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("uwsgi.sock")));
            ch.write(ByteBuffer.wrap(packet));
            ByteBuffer buf = ByteBuffer.allocate(65536);
            while (ch.read(buf) > 0 && buf.hasRemaining()) {
                // until the listener closes: uwsgi answers one request per connection
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        }
    }
}
