package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built gatehouse started in a cgroup delegated to it as systemd's {@code Delegate=yes} does it: a scratch
 * cgroup v2 below this JVM's, marked {@code user.delegate=1}, that the master is started in. It moves into its leaf,
 * each app's processes (a Python fork server and worker, a CGI script) run in the app's cgroup, a removed app's
 * cgroup goes, and at exit every app's cgroup. Limits are written where the tree has the controllers and refused
 * with the reason where it has not. Root only, and where no systemd manages the tree (SystemdCgroupTest runs it
 * under systemd); skipped with the reason otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DelegatedCgroupTest {
    private Path dir;
    private Path scratch;
    private String path;
    private int port;
    private GatehouseProcess server;

    @BeforeAll
    void startInADelegatedCgroup(@TempDir Path tmp) throws Exception {
        dir = tmp;
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "needs root");
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(l -> l.startsWith("0::"))
                .findFirst().map(l -> l.substring(3)).orElse(null);
        Path mount = cgroup2Mount();
        assumeTrue(own != null && mount != null && !own.contains(".."), "no cgroup v2 hierarchy here");
        Path ownDir = mount.resolve(own.substring(1));
        assumeTrue(Files.isWritable(ownDir.resolve("cgroup.procs")), ownDir + " is not writable");
        assumeTrue(!Files.readString(Path.of("/proc/1/comm")).strip().equals("systemd"),
                "systemd manages " + ownDir + ": SystemdCgroupTest runs this under it");
        String name = "gatehouse-e2e-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        scratch = Files.createDirectory(ownDir.resolve(name));
        path = (own.endsWith("/") ? own : own + "/") + name;
        Files.getFileAttributeView(scratch, UserDefinedFileAttributeView.class).write("delegate",
                ByteBuffer.wrap("1".getBytes(StandardCharsets.US_ASCII)));
        PrivilegeApps.write(dir);
        Path script = GatehouseProcess.write(dir, "cgi/cgroup.sh", """
                #!/bin/sh
                echo "Content-Type: text/plain"
                echo
                grep '^0::' /proc/$$/cgroup
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        port = FreePort.pick();
        // Started in the scratch cgroup, as systemd starts a service's main process in the service's cgroup.
        server = GatehouseProcess.start(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                scratch.resolve("cgroup.procs").toString()), dir, config(true, ""), Map.of());
    }

    private String config(boolean withCgi, String pyKeys) {
        return """
                master: {control-socket: %s}
                listeners:
                  - {name: web, protocol: http, bind: "127.0.0.1:%d"}
                apps:
                """.formatted(dir.resolve("control.sock"), port)
                + PrivilegeApps.python(dir, pyKeys).indent(2) + (withCgi ? PrivilegeApps.cgi(dir, "").indent(2) : "");
    }

    @AfterAll
    void stopAndRemoveTheScratchCgroup() throws Exception {
        if (server != null) {
            server.close();
        }
        if (scratch == null) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> all = Files.walk(scratch)) {
            dirs = all.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path d : dirs) {
            for (int i = 0; i < 40 && Files.exists(d); i++) {
                try {
                    Files.delete(d);
                } catch (IOException stillInUse) {
                    Thread.sleep(50);
                }
            }
        }
    }

    @Test
    @Order(1)
    void theMasterMovesIntoItsLeafAndEachAppsProcessesRunInTheAppsCgroup() throws Exception {
        assertEquals(path + "/master", cgroupOf(server.pid()));
        long[] pids = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body());
        for (long pid : pids) {
            assertEquals(path + "/app-py", cgroupOf(pid), "the worker and its fork server, pid " + pid);
        }
        assertEquals("0::" + path + "/app-cgi\n", PrivilegeApps.get(port, "/cgi/cgroup.sh").body());
        assertTrue(server.output().contains("cgroups: the master in " + scratch.resolve("master")), server.output());
        assertTrue(server.output().contains("in cgroup " + scratch.resolve("app-py") + ")"), server.output());
    }

    @Test
    @Order(2)
    void limitsAreWrittenWhereTheTreeHasTheControllersAndRefusedWithTheReasonWhereNot() throws Exception {
        GatehouseProcess.write(dir, "gatehouse.yaml", config(true, "cgroup: {memory-max: 256MiB}\n"));
        GatehouseProcess.Outcome reload = GatehouseProcess.command(dir, "reload", "--config-only", "-s",
                dir.resolve("control.sock").toString());
        if (Files.readString(scratch.resolve("cgroup.controllers")).contains("memory")) {
            assertEquals(0, reload.status(), reload.stdout() + reload.stderr());
            assertTrue(reload.stdout().contains("py: retuned (cgroup null -> {memory-max: 256MiB})"), reload.stdout());
            assertEquals("268435456", Files.readString(scratch.resolve("app-py/memory.max")).strip());
        } else {
            assertEquals(2, reload.status(), reload.stdout() + reload.stderr());
            assertTrue(reload.stderr().contains("apps[0].cgroup.memory-max: needs cgroup v2's memory controller")
                    || reload.stderr().contains("apps[0].cgroup: needs the memory controller, which gatehouse's "
                            + "delegated cgroup " + scratch + " does not have"), reload.stderr());
            assertTrue(reload.stderr().contains("Delegate=yes"), reload.stderr());
            GatehouseProcess.write(dir, "gatehouse.yaml", config(true, ""));
        }
    }

    @Test
    @Order(3)
    void aRemovedAppsCgroupGoesOnceItsProcessesHaveExited() throws Exception {
        GatehouseProcess.write(dir, "gatehouse.yaml", config(false, ""));
        GatehouseProcess.Outcome reload = GatehouseProcess.command(dir, "reload", "-s",
                dir.resolve("control.sock").toString());
        assertEquals(0, reload.status(), reload.stdout() + reload.stderr());
        Await.until("app-cgi to be removed", Duration.ofSeconds(30), () -> !Files.exists(scratch.resolve("app-cgi")));
        assertTrue(Files.isDirectory(scratch.resolve("app-py")));
        long[] pids = PrivilegeApps.pids(PrivilegeApps.get(port, "/py/who").body());
        assertEquals(path + "/app-py", cgroupOf(pids[0]), "the new generation's worker, in the same cgroup");
    }

    @Test
    @Order(4)
    void atExitEveryAppsCgroupGoesAndTheMastersLeafStays() throws Exception {
        server.signal("TERM");
        assertEquals(0, server.waitFor(Duration.ofSeconds(60)), server.output());
        assertFalse(Files.exists(scratch.resolve("app-py")), server.output());
        assertTrue(Files.isDirectory(scratch.resolve("master")));
    }

    private static Path cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ");
            if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                return Path.of(halves[0].split(" ")[4]);
            }
        }
        return null;
    }

    private static String cgroupOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        return null;
    }
}
