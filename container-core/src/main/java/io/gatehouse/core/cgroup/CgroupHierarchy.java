package io.gatehouse.core.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where this process is in the cgroup tree, from /proc/self/cgroup and /proc/self/mountinfo: the cgroup v2
 * hierarchy's mount point and this process's cgroup in it, and the controllers that cgroup v1 hierarchies hold (on
 * a legacy or hybrid system, where cgroup v2 cannot have them).
 *
 * @param mount     the cgroup2 mount point (/sys/fs/cgroup on a unified system), or null when none is mounted
 * @param mountRoot the part of the hierarchy mounted there ("/" but for a mount of a subtree)
 * @param path      this process's cgroup as the "0::" line of /proc/self/cgroup says, or null without one
 * @param v1        each controller of {@link #CONTROLLERS} bound to a cgroup v1 hierarchy, with its mount point
 */
public record CgroupHierarchy(Path mount, String mountRoot, String path, Map<String, Path> v1) {

    /** The controllers the keys of an app's {@code cgroup} need. */
    static final Set<String> CONTROLLERS = Set.of("memory", "cpu");
    /** Where systemd and every distribution mount cgroup v2 (alone, or as a subdirectory in hybrid mode). */
    private static final String USUAL_MOUNT = "/sys/fs/cgroup";

    public CgroupHierarchy {
        v1 = Map.copyOf(v1);
    }

    /** This process's, read from {@code proc} (/proc). */
    public static CgroupHierarchy read(Path proc) {
        try {
            return parse(Files.readAllLines(proc.resolve("self/cgroup")),
                    Files.readAllLines(proc.resolve("self/mountinfo")));
        } catch (IOException e) {
            return new CgroupHierarchy(null, "/", null, Map.of()); // no /proc: no cgroups to speak of
        }
    }

    /** From the lines of /proc/self/cgroup and /proc/self/mountinfo (proc(5)). */
    static CgroupHierarchy parse(List<String> cgroup, List<String> mountinfo) {
        String path = null;
        for (String line : cgroup) {
            if (line.startsWith("0::")) {
                path = line.substring(3);
            }
        }
        Path mount = null;
        String mountRoot = "/";
        Map<String, Path> v1 = new LinkedHashMap<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ");
            int dash = Arrays.asList(fields).indexOf("-");
            if (fields.length < 5 || dash < 0 || dash + 3 > fields.length) {
                continue;
            }
            String fsType = fields[dash + 1];
            Path point = Path.of(unescape(fields[4]));
            if (fsType.equals("cgroup2") && (mount == null || point.toString().equals(USUAL_MOUNT))) {
                mount = point;
                mountRoot = unescape(fields[3]);
            } else if (fsType.equals("cgroup") && dash + 3 < fields.length) {
                for (String option : fields[dash + 3].split(",")) {
                    if (CONTROLLERS.contains(option)) {
                        v1.putIfAbsent(option, point);
                    }
                }
            }
        }
        return new CgroupHierarchy(mount, mountRoot, path, v1);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** This process's cgroup directory, or null when it has none in a mounted cgroup v2 hierarchy it can see. */
    public Path own() {
        if (mount == null || path == null || !path.startsWith("/") || path.contains("/..")) {
            return null;
        }
        String root = mountRoot.endsWith("/") ? mountRoot : mountRoot + "/";
        String inMount;
        if (path.equals(mountRoot)) {
            inMount = "";
        } else if (path.startsWith(root)) {
            inMount = path.substring(root.length());
        } else {
            return null;
        }
        return inMount.isEmpty() ? mount : mount.resolve(inMount);
    }

    /** Why no cgroup here can have {@code controller} whatever is delegated, or null when one can. */
    String lacks(String controller) {
        Path heldBy = v1.get(controller);
        if (heldBy != null) {
            return "the " + controller + " controller is in a cgroup v1 hierarchy (" + heldBy + "), which cgroup "
                    + "v2 cannot use: boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1)";
        }
        if (mount == null) {
            return "no cgroup v2 hierarchy is mounted";
        }
        Set<String> offered = controllers(mount);
        if (!offered.contains(controller)) {
            return "cgroup v2 offers no " + controller + " controller here (" + mount.resolve("cgroup.controllers")
                    + ": " + (offered.isEmpty() ? "none" : String.join(" ", offered)) + ")";
        }
        return null;
    }

    /** The controllers {@code dir}'s cgroup.controllers lists (empty when it cannot be read). */
    static Set<String> controllers(Path dir) {
        try {
            Set<String> names = new TreeSet<>();
            for (String name : Files.readString(dir.resolve("cgroup.controllers")).strip().split("\\s+")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            return Set.of();
        }
    }
}
