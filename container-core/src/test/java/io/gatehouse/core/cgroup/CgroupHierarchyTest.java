package io.gatehouse.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a process is in the cgroup tree, from the lines of /proc/self/cgroup and /proc/self/mountinfo. */
class CgroupHierarchyTest {
    static final String UNIFIED = "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
            + "cgroup2 rw,nsdelegate,memory_recursiveprot";
    /** A hybrid system's (as this project's CI machine was): the controllers on v1, v2 for tracking only. */
    static final List<String> HYBRID = List.of(
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    @TempDir
    Path dir;

    @Test
    void findsTheServicesCgroupOnAUnifiedSystem() {
        CgroupHierarchy h = CgroupHierarchy.parse(List.of("0::/system.slice/gatehouse.service"),
                List.of("22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw", UNIFIED));
        assertEquals(Path.of("/sys/fs/cgroup"), h.mount());
        assertEquals(Path.of("/sys/fs/cgroup/system.slice/gatehouse.service"), h.own());
        assertEquals(Map.of(), h.v1());
    }

    @Test
    void saysWhichV1HierarchyHoldsAControllerOnAHybridSystem() {
        CgroupHierarchy h = CgroupHierarchy.parse(List.of("9:name=systemd:/", "4:memory:/x", "1:cpu:/", "0::/"),
                HYBRID);
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.mount());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), h.own());
        assertEquals("the memory controller is in a cgroup v1 hierarchy (/sys/fs/cgroup/memory), which cgroup v2 "
                + "cannot use: boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1)", h.lacks("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), h.v1().get("cpu"));
    }

    @Test
    void aLegacySystemHasNoV2Hierarchy() {
        CgroupHierarchy h = CgroupHierarchy.parse(List.of("4:memory:/", "1:cpu:/"), HYBRID.subList(0, 4));
        assertNull(h.mount());
        assertNull(h.own());
        assertEquals("no cgroup v2 hierarchy is mounted", new CgroupHierarchy(null, "/", null, Map.of())
                .lacks("memory"));
    }

    @Test
    void aCgroupOutsideTheNamespaceItSeesIsNone() {
        // nsenter into a container's cgroup namespace from outside shows the process above the namespace's root.
        assertNull(CgroupHierarchy.parse(List.of("0::/.."), List.of(UNIFIED)).own());
        assertNull(CgroupHierarchy.parse(List.of("0::/../../x"), List.of(UNIFIED)).own());
    }

    @Test
    void aMountOfASubtreeResolvesBelowItsRoot() {
        CgroupHierarchy h = CgroupHierarchy.parse(List.of("0::/machine.slice/c1/system.slice/g.service"),
                List.of("50 40 0:26 /machine.slice/c1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw"));
        assertEquals(Path.of("/sys/fs/cgroup/system.slice/g.service"), h.own());
        assertNull(CgroupHierarchy.parse(List.of("0::/user.slice"),
                List.of("50 40 0:26 /machine.slice/c1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw")).own());
    }

    @Test
    void unescapesTheMountPoint() {
        CgroupHierarchy h = CgroupHierarchy.parse(List.of("0::/a"),
                List.of("50 40 0:26 / /srv/my\\040cgroups rw - cgroup2 cgroup2 rw"));
        assertEquals(Path.of("/srv/my cgroups/a"), h.own());
    }

    @Test
    void saysWhenCgroupV2OffersNoSuchController() {
        FakeCgroupTree tree = new FakeCgroupTree(dir, "cpu io pids\n");
        CgroupHierarchy h = tree.hierarchy("/");
        assertEquals("cgroup v2 offers no memory controller here (" + dir.resolve("cgroup.controllers")
                + ": cpu io pids)", h.lacks("memory"));
        assertNull(h.lacks("cpu"));
    }
}
