package io.gatehouse.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's process table (/proc), for tests that must find processes no longer anyone's child: the workers,
 * fork servers and CGI scripts a killed master leaves behind, found by a marker in their command line.
 */
public final class ProcessTable {
    private ProcessTable() {
    }

    /** The live processes (zombies aside: an orphan's new parent may reap it late) whose command line holds marker. */
    public static List<Long> matching(String marker) {
        return matching(List.of(marker));
    }

    /** The live processes whose command line holds any of {@code markers}. */
    public static List<Long> matching(List<String> markers) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : all) {
                String cmdline = read(proc.resolve("cmdline")).replace('\0', ' ');
                if (markers.stream().anyMatch(cmdline::contains) && !zombie(read(proc.resolve("stat")))) {
                    pids.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc", e);
        }
        return pids;
    }

    /** Waits until {@code deadlineNanos} (System.nanoTime) for no process to match; returns those still there. */
    public static List<Long> awaitNone(List<String> markers, long deadlineNanos) throws InterruptedException {
        List<Long> left = matching(markers);
        while (!left.isEmpty() && System.nanoTime() < deadlineNanos) {
            Thread.sleep(5);
            left = matching(markers);
        }
        return left;
    }

    /** True while {@code pid} runs: it exists and is not a zombie. */
    public static boolean alive(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return !stat.isEmpty() && !zombie(stat);
    }

    /** Each pid with its command line, for a failure message. */
    public static String describe(List<Long> pids) {
        StringBuilder out = new StringBuilder();
        for (long pid : pids) {
            out.append('\n').append(pid).append(": ")
                    .append(read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim());
        }
        return out.toString();
    }

    /** SIGKILLs {@code pids}: processes a test started (through a master it killed) and must not leave running. */
    public static void kill(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean zombie(String stat) {
        int close = stat.lastIndexOf(')');
        return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // the process is gone
        }
    }
}
