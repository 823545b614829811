package io.gatehouse.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the cgroup delegated to the master, and dividing it, on a fake tree. */
class ServiceCgroupTest {
    static final String SERVICE = "/system.slice/gatehouse.service";

    @TempDir
    Path dir;
    FakeCgroupTree tree;
    Path service;

    @BeforeEach
    void layOut() {
        tree = new FakeCgroupTree(dir, "cpuset cpu io memory pids");
        tree.cgroup("/system.slice", "cpu io memory pids");
        service = tree.cgroup(SERVICE, "cpu io memory pids");
    }

    @Test
    void theServicesCgroupMarkedAsDelegatedIsDividedWithTheMasterInALeaf() {
        ServiceCgroup s = ServiceCgroup.find(tree.hierarchy(SERVICE), service::equals);
        assertTrue(s.usable(), s.refusal());
        assertEquals(service, s.root());
        assertEquals(service.resolve("master"), s.leaf());
        assertEquals(Set.of("cpu", "io", "memory", "pids"), s.controllers());
    }

    @Test
    void anUnmarkedCgroupIsNotDelegatedEvenWhereRootCouldWriteIt() {
        ServiceCgroup s = ServiceCgroup.find(tree.hierarchy(SERVICE), p -> false);
        assertFalse(s.usable());
        assertNull(s.root());
        assertEquals("gatehouse's cgroup /system.slice/gatehouse.service is not delegated to it", s.refusal());
    }

    @Test
    void aMasterStartedInALeafOfADelegatedCgroupStaysInIt() {
        // systemd's DelegateSubgroup=: the service's cgroup is delegated, the main process starts in a child of it.
        Path sub = tree.cgroup(SERVICE + "/supervisor", "cpu io memory pids");
        ServiceCgroup s = ServiceCgroup.find(tree.hierarchy(SERVICE + "/supervisor"), service::equals);
        assertEquals(service, s.root());
        assertEquals(sub, s.leaf());
    }

    @Test
    void aDelegatedCgroupTheMasterCannotWriteIsRefusedWithTheFileNamed() throws Exception {
        Files.delete(service.resolve("cgroup.subtree_control"));
        ServiceCgroup s = ServiceCgroup.find(tree.hierarchy(SERVICE), service::equals);
        assertEquals("its delegated cgroup " + service + " is not writable by gatehouse (cgroup.subtree_control)",
                s.refusal());
    }

    @Test
    void noCgroupV2OrACgroupOutsideItIsRefusedWithTheReason() {
        assertEquals("no cgroup v2 hierarchy is mounted", ServiceCgroup.find(new CgroupHierarchy(null, "/", null,
                java.util.Map.of()), p -> true).refusal());
        assertEquals("gatehouse's cgroup (/..) is outside the cgroup v2 hierarchy it sees",
                ServiceCgroup.find(tree.hierarchy("/.."), p -> true).refusal());
    }

    @Test
    void settingUpMovesEveryProcessIntoTheLeafAndEnablesMemoryAndCpuForChildren() throws Exception {
        ServiceCgroup s = ServiceCgroup.find(tree.hierarchy(SERVICE), service::equals);
        tree.cgroup(SERVICE + "/master", "cpu memory");
        long self = ProcessHandle.current().pid();
        FakeCgroupTree.write(service.resolve("cgroup.procs"), self + "\n");
        assertEquals(Set.of("cpu", "memory"), s.setUp(self));
        assertEquals(Long.toString(self), FakeCgroupTree.read(service.resolve("master/cgroup.procs")));
        assertEquals("+cpu +memory", FakeCgroupTree.read(service.resolve("cgroup.subtree_control")));
    }

    @Test
    void aProcessThatExitedBeforeItCouldBeMovedIsLeftAloneAndALiveOneIsAnError() throws Exception {
        Path nowhere = dir.resolve("no-such-cgroup");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        CgroupFiles.moveIfAlive(Long.toString(gone.pid()), nowhere);
        IOException e = assertThrows(IOException.class,
                () -> CgroupFiles.moveIfAlive(Long.toString(ProcessHandle.current().pid()), nowhere));
        assertEquals("no " + nowhere.resolve("cgroup.procs"), e.getMessage());
    }
}
