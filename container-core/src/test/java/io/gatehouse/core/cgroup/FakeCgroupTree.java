package io.gatehouse.core.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A cgroup v2 hierarchy in a temp directory, laid out as the kernel shows one: each cgroup a directory with its
 * interface files, and the files of the controllers its parent enabled. Nothing enforces anything: tests read back
 * what was written. A directory made by the code under test has no files (the kernel would add them), unless the
 * test lays it out first with {@link #cgroup}.
 */
public final class FakeCgroupTree {
    private final Path mount;

    /** A hierarchy mounted at {@code mount} whose root offers {@code controllers} (e.g. "cpu io memory pids"). */
    public FakeCgroupTree(Path mount, String controllers) {
        this.mount = mount;
        try {
            Files.createDirectories(mount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(mount.resolve("cgroup.controllers"), controllers);
    }

    public Path mount() {
        return mount;
    }

    /** The cgroup at {@code path} ("/system.slice/x.service"), offering {@code controllers}, with their files. */
    public Path cgroup(String path, String controllers) {
        Path dir = path.equals("/") ? mount : mount.resolve(path.substring(1));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dir.resolve("cgroup.controllers"), controllers);
        write(dir.resolve("cgroup.procs"), "");
        write(dir.resolve("cgroup.threads"), "");
        write(dir.resolve("cgroup.subtree_control"), "");
        write(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
        if (controllers.contains("memory")) {
            for (String f : new String[] {"memory.max", "memory.high", "memory.swap.max"}) {
                write(dir.resolve(f), "max\n");
            }
            write(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        }
        if (controllers.contains("cpu")) {
            write(dir.resolve("cpu.max"), "max 100000\n");
        }
        return dir;
    }

    /** Where a process whose "0::" line says {@code path} is, on a system with no cgroup v1 controllers. */
    public CgroupHierarchy hierarchy(String path) {
        return new CgroupHierarchy(mount, "/", path, Map.of());
    }

    /** The content of {@code file}, stripped. */
    public static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
