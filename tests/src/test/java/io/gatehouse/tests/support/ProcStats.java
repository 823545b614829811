package io.gatehouse.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What /proc says of a running process's resources: resident memory, CPU time, open files, and its descendants (a
 * master's fork servers and workers). Each read gives -1 once the process is gone.
 *
 * @param pid the process
 */
public record ProcStats(long pid) {
    /** Clock ticks per second of /proc/PID/stat's times: USER_HZ, 100 on every Linux the tests run on. */
    private static final long TICKS_PER_SECOND = 100;

    /** Resident memory (VmRSS) in KiB. */
    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User and system CPU time so far, in milliseconds. */
    public long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command (which may hold spaces) in parentheses; utime and stime are the 14th and 15th
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Open file descriptors. */
    public int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft and hard limits of open files ("unlimited" as Long.MAX_VALUE). */
    public List<Long> openFileLimits() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files ")) {
                    String[] f = line.substring(15).strip().split("\\s+");
                    return List.of(limit(f[0]), limit(f[1]));
                }
            }
            throw new AssertionError("no open-file limit in /proc/" + pid + "/limits");
        } catch (IOException e) {
            throw new AssertionError("process " + pid + " is gone", e);
        }
    }

    private static long limit(String text) {
        return text.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(text);
    }

    /** Its descendants alive now, children first. */
    public List<ProcStats> descendants() {
        return ProcessHandle.of(pid).map(p -> p.descendants().map(d -> new ProcStats(d.pid())).toList())
                .orElse(List.of());
    }
}
