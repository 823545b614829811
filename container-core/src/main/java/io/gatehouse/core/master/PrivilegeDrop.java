package io.gatehouse.core.master;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.core.master.ResolvedConfig.ResolvedApp;
import io.gatehouse.spi.runtime.Privileges;
import io.gatehouse.spi.runtime.RunAs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code master.user}: once its sockets are bound, the master becomes that user with setgroups (initgroups),
 * setgid and setuid, in that order (after setuid it could do neither of the others). glibc applies each call to
 * every thread of the process, and the kernel clears every capability when the last root id goes, so the master
 * keeps nothing of root. What it still needs is handed over first: its run directory, its log files and its
 * delegated cgroup.
 */
final class PrivilegeDrop {
    private static final Logger LOG = Logger.getLogger(PrivilegeDrop.class.getName());

    /**
     * The C library calls, through JNA (the JDK has none before Java 22's foreign function API). Each returns 0 or
     * -1 with errno; errno alone says nothing, as a call that succeeds may set it on the way (NSS lookups do).
     */
    private interface LibC extends Library {
        int initgroups(String user, int group);

        int setgroups(NativeLong size, int[] list);

        int setgid(int gid);

        int setuid(int uid);
    }

    private PrivilegeDrop() {
    }

    /**
     * Hands the run directory, the log files and the cgroups to {@code who}, then switches every thread to it;
     * nothing to do when the master already runs as {@code who}.
     *
     * @throws IOException when a step fails: the master must not serve half-dropped
     */
    static void to(RunAs who, Path runDir, LoggingConfig logging, List<Path> cgroups) throws IOException {
        if (Privileges.current().alreadyRunsAs(who)) {
            LOG.info("master.user: already running as " + who.describe());
            return;
        }
        handOverTree(runDir, who);
        for (Path p : cgroups) {
            // So that the master goes on putting apps in cgroups of their own and limiting them, as the new user.
            handOver(p, who);
        }
        for (String log : new String[] {logging.errorLog(), logging.accessLog()}) {
            if (log != null && !log.equals("-") && Files.isRegularFile(Path.of(log))) {
                // So that SIGUSR1 can reopen them after logrotate, as the new user.
                handOver(Path.of(log), who);
            }
        }
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("master.user: cannot load the C library to switch users: " + e.getMessage(), e);
        }
        check(who.user() != null ? libc.initgroups(who.user(), (int) who.gid())
                : libc.setgroups(new NativeLong(0), null), who.user() != null ? "initgroups" : "setgroups", who);
        check(libc.setgid((int) who.gid()), "setgid", who);
        check(libc.setuid((int) who.uid()), "setuid", who);
        checkEveryThread(who);
        LOG.info("master.user: dropped privileges to " + who.describe() + " after binding");
    }

    private static void check(int result, String call, RunAs who) throws IOException {
        if (result != 0) {
            int errno = Native.getLastError();
            throw new IOException("master.user: cannot switch to " + who.describe() + ": " + call + " failed with "
                    + "errno " + errno + " (" + new LastErrorException(errno).getMessage() + ")");
        }
    }

    /** A thread left with another user would be root inside the master: refuse to go on. */
    private static void checkEveryThread(RunAs who) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                List<String> status;
                try {
                    status = Files.readAllLines(task.resolve("status"));
                } catch (IOException threadGone) {
                    continue;
                }
                for (String line : status) {
                    if ((line.startsWith("Uid:") || line.startsWith("Gid:")) && !allIds(line, line.startsWith("Uid:")
                            ? who.uid() : who.gid())) {
                        throw new IOException("master.user: thread " + task.getFileName() + " still has " + line);
                    }
                }
            }
        }
    }

    private static boolean allIds(String line, long id) {
        String[] fields = line.substring(4).strip().split("\\s+");
        return Stream.of(fields).allMatch(f -> Long.parseLong(f) == id);
    }

    private static void handOverTree(Path dir, RunAs who) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                handOver(p, who);
            }
        }
    }

    private static void handOver(Path p, RunAs who) throws IOException {
        Files.setAttribute(p, "unix:gid", (int) who.gid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:uid", (int) who.uid(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Warns, as uWSGI does, about each app whose processes would run as root: a root master that does not drop,
     * and an app without {@code user:}.
     */
    static void warnAboutRootApps(Collection<ResolvedApp> apps) {
        if (Privileges.current().uid() != 0) {
            return;
        }
        for (ResolvedApp app : apps) {
            if (app.runtime().separateProcesses() && app.config().user() == null) {
                LOG.warning("app '" + app.config().name() + "' runs as root: the master is root and the app has no "
                        + "user:; set user: (or master.user) to run it as a user of its own");
            }
        }
    }
}
