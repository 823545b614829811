package io.gatehouse.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The apps' cgroups on the kernel's own cgroup v2 tree, in a scratch cgroup made below this JVM's, which stands in
 * for a delegated service's (a {@code sleep} stands in for its master, so this JVM stays where it is): the master
 * moved into its leaf, an app's process joining the app's cgroup through the launcher before it runs, and the
 * cgroup removed once its last process is gone. Only as root, and where no systemd manages the tree unless this
 * JVM's cgroup is delegated (creating cgroups in one systemd manages is systemd's alone to do); the nspawn test
 * (SystemdCgroupTest) runs the whole of it under systemd.
 */
class KernelCgroupTest {
    private final List<Process> started = new ArrayList<>();
    private CgroupHierarchy hierarchy;
    private Path scratch;
    private Process master;

    @BeforeEach
    void makeScratchCgroup() throws Exception {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "needs root");
        CgroupHierarchy self = CgroupHierarchy.read(Path.of("/proc"));
        Path own = self.own();
        assumeTrue(own != null && Files.isWritable(own.resolve("cgroup.procs")),
                "no writable cgroup v2 hierarchy here: " + self);
        String init = Files.readString(Path.of("/proc/1/comm")).strip();
        assumeTrue(!init.equals("systemd") || DelegationMark.SYSTEMD.marked(own), "systemd manages " + own
                + ", which is not delegated to this JVM");
        String name = "gatehouse-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        scratch = Files.createDirectory(own.resolve(name));
        hierarchy = new CgroupHierarchy(self.mount(), self.mountRoot(),
                (self.path().endsWith("/") ? self.path() : self.path() + "/") + name, self.v1());
        master = start("sleep", "60");
        CgroupFiles.write(scratch.resolve("cgroup.procs"), Long.toString(master.pid()));
    }

    @AfterEach
    void removeScratchCgroup() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        if (scratch != null) {
            List<Path> dirs;
            try (Stream<Path> all = Files.walk(scratch)) {
                dirs = all.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            }
            for (Path dir : dirs) {
                for (int i = 0; i < 40 && Files.exists(dir); i++) {
                    try {
                        Files.delete(dir);
                    } catch (IOException busy) {
                        Thread.sleep(50); // a killed process leaves its cgroup a moment after its exit
                    }
                }
            }
        }
    }

    @Test
    void theMasterMovesIntoItsLeafAndAnAppsProcessRunsInTheAppsCgroupFromItsFirstInstruction() throws Exception {
        ServiceCgroup service = ServiceCgroup.find(hierarchy, scratch::equals);
        assertTrue(service.usable(), service.refusal());
        MasterCgroups cgroups = MasterCgroups.setUp(service, false, master.pid());
        assertEquals(hierarchy.path() + "/master", cgroupOf(master.pid()));
        AppConfig web = MasterCgroupsTest.app("web", "");
        AppLauncher launcher = AppLauncher.of(web, new RuntimeContext(null, null, cgroups));
        assertEquals(scratch.resolve("app-web/cgroup.procs"), launcher.cgroupProcs());
        Process p = start(launcher.command(List.of("cat", "/proc/self/cgroup")));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("0::" + hierarchy.path() + "/app-web\n"), out);
    }

    @Test
    void anAppsCgroupGoesOnceItsLastProcessHasExited() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(ServiceCgroup.find(hierarchy, scratch::equals), false,
                master.pid());
        AppConfig web = MasterCgroupsTest.app("web", "");
        Process worker = start(AppLauncher.of(web, new RuntimeContext(null, null, cgroups))
                .command(List.of("sleep", "60")));
        awaitCgroup(worker.pid(), hierarchy.path() + "/app-web");
        assertTrue(CgroupFiles.populated(scratch.resolve("app-web")));
        cgroups.release("web");
        cgroups.sweep(Set.of());
        assertTrue(Files.isDirectory(scratch.resolve("app-web")), "the kernel refuses to remove it while in use");
        worker.destroyForcibly();
        worker.waitFor();
        for (int i = 0; i < 40 && Files.exists(scratch.resolve("app-web")); i++) {
            Thread.sleep(50);
            cgroups.sweep(Set.of());
        }
        assertFalse(Files.exists(scratch.resolve("app-web")));
        assertTrue(Files.isDirectory(scratch.resolve("master")), "the master's leaf stays");
    }

    @Test
    void limitsNeedTheirControllerInTheTree() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(ServiceCgroup.find(hierarchy, scratch::equals), false,
                master.pid());
        AppConfig limited = MasterCgroupsTest.app("web", "cgroup: {memory-max: 64MiB, cpu-max: 50%}");
        if (CgroupHierarchy.controllers(scratch).containsAll(Set.of("memory", "cpu"))) {
            cgroups.place(limited);
            assertEquals("67108864", FakeCgroupTree.read(scratch.resolve("app-web/memory.max")));
            assertEquals("50000 100000", FakeCgroupTree.read(scratch.resolve("app-web/cpu.max")));
        } else {
            IOException e = assertThrows(IOException.class, () -> cgroups.place(limited));
            assertTrue(e.getMessage().endsWith("controller is not enabled for the apps' cgroups"), e.getMessage());
        }
    }

    private Process start(String... command) throws IOException {
        return start(List.of(command));
    }

    private Process start(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    private static String cgroupOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        return null;
    }

    private static void awaitCgroup(long pid, String path) throws Exception {
        for (int i = 0; i < 100 && !path.equals(cgroupOf(pid)); i++) {
            Thread.sleep(20);
        }
        assertEquals(path, cgroupOf(pid));
    }
}
