package io.gatehouse.tests.privileges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What /proc says of a process: its ids, groups, capabilities and limits. */
record ProcStatus(long pid) {

    /** The four ids (real, effective, saved, filesystem) of {@code Uid:} or {@code Gid:}. */
    List<Long> ids(String field) {
        return Arrays.stream(field(field).split("\\s+")).map(Long::parseLong).toList();
    }

    /** The supplementary groups. */
    List<Long> groups() {
        String groups = field("Groups").strip();
        return groups.isEmpty() ? List.of() : Arrays.stream(groups.split("\\s+")).map(Long::parseLong).toList();
    }

    /** A field of /proc/PID/status, without its name. */
    String field(String name) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " in /proc/" + pid + "/status");
    }

    /** The soft and hard value of a /proc/PID/limits line, such as "Max open files". */
    List<String> limit(String name) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "limits"))) {
            if (line.startsWith(name + " ")) {
                String[] f = line.substring(name.length()).strip().split("\\s+");
                return List.of(f[0], f[1]);
            }
        }
        throw new AssertionError("no " + name + " in /proc/" + pid + "/limits");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
