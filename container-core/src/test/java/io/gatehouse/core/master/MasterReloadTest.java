package io.gatehouse.core.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master's loop against its own services: reloads apply each service on its own, and signals reach handlers. */
class MasterReloadTest {
    @TempDir
    Path dir;
    ServingMaster serving;
    Master master;

    void start() throws Exception {
        serving = ServingMaster.boot(dir.resolve("g.yaml"), ProtocolCatalog.of(new ReloadPlanTest.PlainProtocol()),
                RuntimeCatalog.of(new ReloadPlanTest.ClassRuntime()));
        master = serving.master;
    }

    @AfterEach
    void stop() throws Exception {
        if (serving != null) {
            serving.close();
        }
    }

    void write(String controlSocket, int statsPort, String pidfile, String accessLog) throws IOException {
        Files.writeString(dir.resolve("g.yaml"), """
                master: {control-socket: '%s', pidfile: '%s'}
                stats: {bind: '127.0.0.1:%d'}
                logging: {access-log: '%s'}
                listeners:
                  - {protocol: http, bind: '127.0.0.1:0'}
                apps: []
                """.formatted(dir.resolve(controlSocket), dir.resolve(pidfile), statsPort, dir.resolve(accessLog)));
    }

    @Test
    void aServiceThatFailsIsReportedWhileTheOthersApplyAndTheNextReloadRetriesIt() throws Exception {
        int statsBefore = freePort();
        int statsAfter = freePort();
        write("c.sock", statsBefore, "a.pid", "a.log");
        start();
        assertTrue(answers(dir.resolve("c.sock")));

        // Another process listens at the new control socket: check cannot know it, the bind fails, and the control
        // socket comes first of the services.
        ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        other.bind(UnixDomainSocketAddress.of(dir.resolve("taken.sock")));
        write("taken.sock", statsAfter, "b.pid", "b.log");
        ReloadReport failed = master.reload(ReloadScope.configOnly()).get(10, TimeUnit.SECONDS);
        assertTrue(failed.ok() && !failed.refused(), failed.toString());
        assertEquals(1, failed.errors().size(), failed.toString());
        assertTrue(failed.errors().get(0).startsWith("master.control-socket: control socket"), failed.toString());
        assertTrue(answers(dir.resolve("c.sock")), "the control socket in force is kept");
        assertTrue(listening(statsAfter), "the stats server moved all the same");
        assertFalse(listening(statsBefore));
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(dir.resolve("b.pid")).trim());
        assertFalse(Files.exists(dir.resolve("a.pid")), "the pidfile moved all the same");
        assertTrue(Files.exists(dir.resolve("b.log")), "the access log moved all the same");

        other.close(); // its socket file stays, stale, as a crashed process would leave it
        ReloadReport retried = master.reload(ReloadScope.configOnly()).get(10, TimeUnit.SECONDS);
        assertTrue(retried.ok() && retried.errors().isEmpty(), retried.toString());
        assertTrue(answers(dir.resolve("taken.sock")), "the same config again retries the control socket");
        assertFalse(Files.exists(dir.resolve("c.sock")));
    }

    @Test
    void hangupReloadsAndTerminateStopsOnceDrained() throws Exception {
        write("c.sock", freePort(), "a.pid", "a.log");
        start();
        write("c.sock", freePort(), "b.pid", "a.log");
        master.post(MasterSignal.HUP);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(dir.resolve("b.pid")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(dir.resolve("b.pid")), "SIGHUP reloaded the config");
        master.post(MasterSignal.TERM);
        assertEquals(0, serving.exitStatus());
        assertFalse(Files.exists(dir.resolve("b.pid")), "the pidfile is removed at exit");
        assertFalse(Files.exists(dir.resolve("c.sock")), "and the control socket");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean listening(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    /** Whether a master answers {@code status} on the control socket at {@code path}. */
    static boolean answers(Path path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.UTF_8)));
            String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
                    .readLine();
            return line != null && line.startsWith("{\"ok\":true");
        }
    }
}
