package io.gatehouse.core.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cgroup delegated to the master, which it may divide: with systemd's {@code Delegate=yes}, the service's own
 * cgroup, marked as delegated ({@link DelegationMark}) and handed to the service's user. cgroup v2 lets only leaves
 * hold processes once controllers are enabled for children ("no internal processes"), so the master lives in a leaf
 * of its own, {@value #MASTER_LEAF}, beside a cgroup for each app. A master already in a leaf of a delegated cgroup
 * (systemd's {@code DelegateSubgroup=}) stays in it.
 *
 * @param hierarchy where this process is in the cgroup tree
 * @param root      the delegated cgroup, or null when there is none (see {@code refusal})
 * @param leaf      the leaf the master lives in: {@code root/master}, or the one it was started in
 * @param refusal   why the master cannot divide its cgroup, or null when it can
 */
public record ServiceCgroup(CgroupHierarchy hierarchy, Path root, Path leaf, String refusal) {

    /** The leaf the master moves into. */
    public static final String MASTER_LEAF = "master";

    /** This process's delegated cgroup, as systemd marks it, or why it has none. */
    public static ServiceCgroup find() {
        return find(CgroupHierarchy.read(Path.of("/proc")), DelegationMark.SYSTEMD);
    }

    /** The delegated cgroup of a process at {@code hierarchy}'s place, judged by {@code mark}. */
    public static ServiceCgroup find(CgroupHierarchy hierarchy, DelegationMark mark) {
        Path own = hierarchy.own();
        if (own == null) {
            return refused(hierarchy, hierarchy.mount() == null ? "no cgroup v2 hierarchy is mounted"
                    : "gatehouse's cgroup (" + hierarchy.path() + ") is outside the cgroup v2 hierarchy it sees");
        }
        Path root;
        Path leaf;
        if (mark.marked(own)) {
            root = own;
            leaf = own.resolve(MASTER_LEAF);
        } else if (!own.equals(hierarchy.mount()) && mark.marked(own.getParent())) {
            root = own.getParent();
            leaf = own;
        } else {
            return refused(hierarchy, "gatehouse's cgroup " + hierarchy.path() + " is not delegated to it");
        }
        for (Path p : List.of(root, root.resolve("cgroup.procs"), root.resolve("cgroup.subtree_control"))) {
            if (!Files.isWritable(p)) {
                return refused(hierarchy, "its delegated cgroup " + root + " is not writable by gatehouse ("
                        + p.getFileName() + (Files.exists(p) ? "; ProtectControlGroups= makes it read-only" : "")
                        + ")");
            }
        }
        return new ServiceCgroup(hierarchy, root, leaf, null);
    }

    private static ServiceCgroup refused(CgroupHierarchy hierarchy, String why) {
        return new ServiceCgroup(hierarchy, null, null, why);
    }

    /** This one, refused for {@code why} (its tree could not be set up). */
    ServiceCgroup failed(String why) {
        return new ServiceCgroup(hierarchy, root, leaf, why);
    }

    /** Whether the master can divide it. */
    public boolean usable() {
        return refusal == null;
    }

    /** The controllers its children can have (its cgroup.controllers). */
    Set<String> controllers() {
        return root == null ? Set.of() : CgroupHierarchy.controllers(root);
    }

    /**
     * Moves the master, process {@code masterPid} (and any other process of the delegated cgroup: a shell that
     * started it in a scope), into its leaf, then enables for children the controllers of
     * {@link CgroupHierarchy#CONTROLLERS} that the cgroup has; returns those.
     */
    Set<String> setUp(long masterPid) throws IOException {
        if (!Files.isDirectory(leaf)) {
            Files.createDirectory(leaf);
        }
        CgroupFiles.write(leaf.resolve("cgroup.procs"), Long.toString(masterPid));
        for (String pid : CgroupFiles.lines(root.resolve("cgroup.procs"))) {
            CgroupFiles.moveIfAlive(pid, leaf);
        }
        Set<String> enabled = new TreeSet<>(controllers());
        enabled.retainAll(CgroupHierarchy.CONTROLLERS);
        if (!enabled.isEmpty()) {
            StringBuilder add = new StringBuilder();
            enabled.forEach(c -> add.append(add.length() == 0 ? "+" : " +").append(c));
            CgroupFiles.write(root.resolve("cgroup.subtree_control"), add.toString());
        }
        return enabled;
    }
}
