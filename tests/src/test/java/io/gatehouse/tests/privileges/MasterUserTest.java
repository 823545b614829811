package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.ThrowawayUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code master.user}: a master started as root binds a port under 1024, then every one of its threads becomes the
 * user, with no capability left; its apps' processes run as that user, a reload still starts new workers, and a
 * reload that needs a new low port is refused with the reason. Root only; skipped with the reason otherwise.
 */
class MasterUserTest extends UserServerCase {
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        user = ThrowawayUser.create();
        this.dir = PrivilegeApps.write(dir);
        Path run = Files.createDirectories(dir.resolve("run"));
        user.own(run); // where the dropped master removes its control socket at exit
        port = lowPort(0);
        server = GatehouseProcess.start(dir, config("1", ""));
    }

    String config(String generation, String moreListeners) {
        return """
                master:
                  user: %s
                  control-socket: %s
                listeners:
                  - name: web
                    protocol: http
                    bind: 127.0.0.1:%d
                %sapps:
                %s""".formatted(user.name(), dir.resolve("run/control.sock"), port, moreListeners,
                (PrivilegeApps.python(dir, "").replace("PYTHONDONTWRITEBYTECODE: \"1\"",
                        "PYTHONDONTWRITEBYTECODE: \"1\", GEN: \"" + generation + "\"")
                        + PrivilegeApps.cgi(dir, "")).indent(2));
    }

    @Test
    void everyThreadOfTheMasterIsTheUserWithNoCapabilityLeftAndItsAppsToo() throws IOException {
        List<Long> ids = List.of(user.uid(), user.uid(), user.uid(), user.uid());
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(server.pid()), "task"))) {
            List<Long> threads = tasks.map(t -> Long.parseLong(t.getFileName().toString())).toList();
            assertTrue(threads.size() > 5, "the JVM's threads: " + threads);
            for (long tid : threads) {
                ProcStatus t = new ProcStatus(tid);
                assertEquals(ids, t.ids("Uid"), "thread " + tid);
                assertEquals(List.of(user.gid(), user.gid(), user.gid(), user.gid()), t.ids("Gid"), "thread " + tid);
                assertEquals("0000000000000000", t.field("CapEff"), "thread " + tid);
                assertEquals("0000000000000000", t.field("CapPrm"), "thread " + tid);
            }
        }
        assertTrue(server.output().contains("master.user: dropped privileges to " + user.name()), server.output());
        long[] pids = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body());
        assertEquals(ids, new ProcStatus(pids[0]).ids("Uid"));
        assertEquals(ids, new ProcStatus(pids[1]).ids("Uid"));
        String cgi = PrivilegeApps.get(port, "/cgi/who.sh").body();
        assertTrue(cgi.contains("Uid:\t" + user.uid() + "\t"), cgi);
        assertEquals("PermissionError", PrivilegeApps.get(port, "/py/secret").body());
    }

    @Test
    void aReloadStartsNewWorkersAsTheUserButCannotBindANewLowPort() throws IOException {
        long before = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body())[0];
        GatehouseProcess.write(dir, "gatehouse.yaml", config("2", ""));
        GatehouseProcess.Outcome reload = GatehouseProcess.command(dir, "reload", "-c",
                dir.resolve("gatehouse.yaml").toString());
        assertEquals(0, reload.status(), reload.stdout() + reload.stderr());
        String body = PrivilegeApps.get(port, "/py/who").body();
        assertTrue(body.endsWith("gen=2"), body);
        long[] pids = PrivilegeApps.pids(body);
        assertNotEquals(before, pids[0]);
        assertEquals(List.of(user.uid(), user.uid(), user.uid(), user.uid()), new ProcStatus(pids[1]).ids("Uid"),
                "the new fork server, started after the drop");

        int another = lowPort(port);
        GatehouseProcess.write(dir, "gatehouse.yaml", config("2", "  - name: more\n    protocol: http\n"
                + "    bind: 127.0.0.1:" + another + "\n"));
        GatehouseProcess.Outcome refused = GatehouseProcess.command(dir, "reload", "-c",
                dir.resolve("gatehouse.yaml").toString());
        assertNotEquals(0, refused.status());
        String said = refused.stdout() + refused.stderr();
        assertTrue(said.contains("CAP_NET_BIND_SERVICE") && said.contains("socket activation"), said);
        assertTrue(PrivilegeApps.get(port, "/py/who").body().endsWith("gen=2"), "still serving");
    }

    /** A free port under 1024 on 127.0.0.1 other than {@code not}. */
    static int lowPort(int not) {
        for (int p = 700; p < 1000; p++) {
            if (p == not) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException taken) {
                // next
            }
        }
        throw new UncheckedIOException(new IOException("no free port between 700 and 999"));
    }
}
