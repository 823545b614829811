package io.gatehouse.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apps' cgroups of a master on a fake tree: made, limited, limited anew, and removed once released. */
class MasterCgroupsTest {
    static final String SERVICE = "/system.slice/gatehouse.service";

    @TempDir
    Path dir;
    FakeCgroupTree tree;
    Path service;
    ServiceCgroup delegated;

    static AppConfig app(String name, String keys) {
        return ConfigLoader.parse("apps:\n  - name: \"" + name + "\"\n    runtime: python\n" + keys.indent(4),
                Path.of("g.yaml"), Map.of()).config().apps().get(0);
    }

    @BeforeEach
    void layOut() {
        tree = new FakeCgroupTree(dir, "cpu io memory pids");
        service = tree.cgroup(SERVICE, "cpu io memory pids");
        tree.cgroup(SERVICE + "/master", "cpu memory");
        delegated = ServiceCgroup.find(tree.hierarchy(SERVICE), service::equals);
    }

    @Test
    void eachAppGetsACgroupBesideTheMasterWithItsLimitsWritten() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        Path web = tree.cgroup(SERVICE + "/app-web", "cpu memory");
        Path procs = cgroups.place(app("web", "cgroup: {memory-max: 512MiB, memory-high: 400MiB, cpu-max: 150%}"));
        assertEquals(web.resolve("cgroup.procs"), procs);
        assertEquals("536870912", FakeCgroupTree.read(web.resolve("memory.max")));
        assertEquals("419430400", FakeCgroupTree.read(web.resolve("memory.high")));
        assertEquals("max", FakeCgroupTree.read(web.resolve("memory.swap.max")));
        assertEquals("150000 100000", FakeCgroupTree.read(web.resolve("cpu.max")));
    }

    @Test
    void limitsTakenOutAreLiftedAndChangedOnesWrittenAgain() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        Path web = tree.cgroup(SERVICE + "/app-web", "cpu memory");
        cgroups.place(app("web", "cgroup: {memory-max: 512MiB, memory-swap-max: 0, cpu-max: 50%}"));
        assertEquals("0", FakeCgroupTree.read(web.resolve("memory.swap.max")));
        cgroups.place(app("web", "cgroup: {memory-max: 1GiB}"));
        assertEquals("1073741824", FakeCgroupTree.read(web.resolve("memory.max")));
        assertEquals("max", FakeCgroupTree.read(web.resolve("memory.swap.max")));
        assertEquals("max 100000", FakeCgroupTree.read(web.resolve("cpu.max")));
        cgroups.place(app("web", ""));
        assertEquals("max", FakeCgroupTree.read(web.resolve("memory.max")));
    }

    @Test
    void aLimitWhoseControllerIsNotEnabledIsAnErrorAndNoLimitNeedsNone() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        Path web = tree.cgroup(SERVICE + "/app-web", "memory");
        IOException e = assertThrows(IOException.class, () -> cgroups.place(app("web", "cgroup: {cpu-max: 50%}")));
        assertEquals("no " + web.resolve("cpu.max") + ": the cpu controller is not enabled for the apps' cgroups",
                e.getMessage());
        // A fresh directory has no controller files at all here: an app without limits needs none.
        assertEquals(service.resolve("app-calm/cgroup.procs"), cgroups.place(app("calm", "")));
        assertTrue(Files.isDirectory(service.resolve("app-calm")));
    }

    @Test
    void withoutDelegationAppsStayInTheMastersCgroup() throws Exception {
        ServiceCgroup none = ServiceCgroup.find(tree.hierarchy(SERVICE), p -> false);
        MasterCgroups cgroups = MasterCgroups.setUp(none, false);
        assertNull(cgroups.place(app("web", "")));
        assertFalse(Files.exists(service.resolve("app-web")));
        assertEquals(List.of(), cgroups.owned());
    }

    @Test
    void aTreeThatCannotBeSetUpFailsTheStartOnlyWhenAnAppHasLimits() throws Exception {
        Files.delete(service.resolve("master/cgroup.procs")); // the master cannot move into its leaf
        IOException e = assertThrows(IOException.class, () -> MasterCgroups.setUp(delegated, true));
        assertTrue(e.getMessage().startsWith("cgroup: its delegated cgroup " + service + " could not be set up: no "
                + service.resolve("master/cgroup.procs")), e.getMessage());
        MasterCgroups without = MasterCgroups.setUp(delegated, false);
        assertFalse(without.service().usable());
        assertNull(without.place(app("web", "")));
    }

    @Test
    void aReleasedAppsCgroupGoesOnceEmptyUnlessTheAppIsBackInService() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        cgroups.place(app("old", ""));
        cgroups.place(app("back", ""));
        cgroups.release("old");
        cgroups.release("back");
        cgroups.release("never-placed");
        cgroups.sweep(Set.of("back"));
        assertFalse(Files.exists(service.resolve("app-old")));
        assertTrue(Files.exists(service.resolve("app-back")), "in service again: kept");
        cgroups.sweep(Set.of());
        assertTrue(Files.exists(service.resolve("app-back")), "no longer released");
    }

    @Test
    void aCgroupStillHoldingSomethingIsTriedAgainAtTheNextSweep() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        Path busy = tree.cgroup(SERVICE + "/app-busy", "memory"); // files in it: rmdir fails, as EBUSY would
        cgroups.place(app("busy", ""));
        cgroups.release("busy");
        cgroups.sweep(Set.of());
        assertTrue(Files.exists(busy));
        try (var files = Files.list(busy)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        cgroups.sweep(Set.of());
        assertFalse(Files.exists(busy));
    }

    @Test
    void closingRemovesTheAppsCgroupsAndLeavesTheMastersLeaf() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        cgroups.place(app("a", ""));
        cgroups.place(app("b", ""));
        cgroups.close();
        assertFalse(Files.exists(service.resolve("app-a")));
        assertFalse(Files.exists(service.resolve("app-b")));
        assertTrue(Files.isDirectory(service.resolve("master")));
    }

    @Test
    void masterUserIsHandedTheDelegatedCgroupsFilesAndEveryCgroupMadeInIt() throws Exception {
        MasterCgroups cgroups = MasterCgroups.setUp(delegated, true);
        Path web = tree.cgroup(SERVICE + "/app-web", "memory");
        cgroups.place(app("web", ""));
        List<Path> owned = cgroups.owned();
        for (Path p : List.of(service, service.resolve("cgroup.procs"), service.resolve("cgroup.subtree_control"),
                web, web.resolve("cgroup.procs"), web.resolve("memory.max"), service.resolve("master"))) {
            assertTrue(owned.contains(p), p + " in " + owned);
        }
        assertFalse(owned.contains(service.resolve("memory.max")), "the service's own limits stay systemd's");
    }

    @Test
    void anAppsCgroupIsNamedAfterItWithOtherBytesEscaped() {
        assertEquals("app-web", MasterCgroups.dirName("web"));
        assertEquals("app-shop.v2_api-1", MasterCgroups.dirName("shop.v2_api-1"));
        assertEquals("app-my%20app%2F%C3%BC", MasterCgroups.dirName("my app/ü"));
        assertEquals("app-..", MasterCgroups.dirName(".."));
    }
}
