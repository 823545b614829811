package io.gatehouse.spi.runtime;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.LimitsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an app's processes (its Python fork server, its CGI scripts) start: in the app's cgroup (when it has one)
 * through a shell that joins it and execs the rest, as the app's {@code user} and {@code group} through setpriv(1),
 * under its {@code limits} through prlimit(1), both from util-linux. Each step execs the next in the same process,
 * and all happen before the app's own program runs: nothing of the app runs outside its cgroup, and nothing the
 * app's user can write (a virtualenv's interpreter, its .pth files, sitecustomize, a CGI script) ever runs with the
 * master's privileges.
 */
public final class AppLauncher {
    private static final String SETPRIV = onPath("setpriv");
    private static final String PRLIMIT = onPath("prlimit");
    /**
     * Joins the cgroup whose cgroup.procs is $1 (as the master's user, who may move processes in its delegated
     * tree; the app's user may not), then becomes the rest of the command.
     */
    static final String JOIN_CGROUP = "echo $$ > \"$1\" || exit 126; shift; exec \"$@\"";

    private final RunAs runAs;
    private final LimitsConfig limits;
    private final Path cgroupProcs;

    private AppLauncher(RunAs runAs, LimitsConfig limits, Path cgroupProcs) {
        this.runAs = runAs;
        this.limits = limits == null || limits.none() ? null : limits;
        this.cgroupProcs = cgroupProcs;
    }

    /**
     * The launcher of {@code app}'s processes, outside any cgroup of the app's (for checks that run a program).
     *
     * @throws IllegalArgumentException when its user or group is not in the system's database
     */
    public static AppLauncher of(AppConfig app) {
        return new AppLauncher(runAs(app), app.limits(), null);
    }

    /**
     * The launcher of {@code app}'s processes as it serves: they join the cgroup {@code context} places the app in,
     * made and limited now.
     *
     * @throws IllegalArgumentException when its user or group is not in the system's database
     * @throws IOException              when the app's cgroup cannot be made or limited
     */
    public static AppLauncher of(AppConfig app, RuntimeContext context) throws IOException {
        return new AppLauncher(runAs(app), app.limits(), context.cgroups().place(app));
    }

    private static RunAs runAs(AppConfig app) {
        return app.user() == null ? null : RunAs.resolve(app.user(), app.group());
    }

    /** The cgroup.procs file the app's processes join as they start, or null when they stay in the master's. */
    public Path cgroupProcs() {
        return cgroupProcs;
    }

    /**
     * How many of the app's processes the kernel's OOM killer has killed so far, from its cgroup's memory.events
     * ({@code oom_kill}); 0 when it has no cgroup of its own or the memory controller is off.
     */
    public long oomKills() {
        if (cgroupProcs == null) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(cgroupProcs.resolveSibling("memory.events"))) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring(9).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no memory controller, or the cgroup is gone
        }
        return 0;
    }

    /** Who the app's processes run as; null: as the master. */
    public RunAs runAs() {
        return runAs;
    }

    /** Whether a process started now runs as another user or group than the master does now. */
    public boolean switchesUser() {
        // Read now, not at start: the master may have dropped to master.user since.
        return runAs != null && !Privileges.current().alreadyRunsAs(runAs);
    }

    /**
     * {@code argv} behind the join of the app's cgroup (when it has one), prlimit (when it has limits) and setpriv
     * (when it runs as another user now).
     */
    public List<String> command(List<String> argv) {
        List<String> cmd = new ArrayList<>();
        if (cgroupProcs != null) {
            cmd.addAll(List.of("/bin/sh", "-c", JOIN_CGROUP, "gatehouse-cgroup", cgroupProcs.toString()));
        }
        if (limits != null) {
            cmd.add(PRLIMIT);
            if (limits.memory() != null) {
                cmd.add("--as=" + limits.memory().bytes());
            }
            if (limits.openFiles() != null) {
                cmd.add("--nofile=" + limits.openFiles());
            }
            if (limits.processes() != null) {
                cmd.add("--nproc=" + limits.processes());
            }
            if (limits.cpuTime() != null) {
                // SIGXCPU at the limit names the cause in the worker's exit; SIGKILL a second later makes sure.
                long seconds = limits.cpuTime().toSeconds();
                cmd.add("--cpu=" + seconds + ":" + (seconds + 1));
            }
            cmd.add("--");
        }
        if (switchesUser()) {
            cmd.addAll(List.of(SETPRIV, "--reuid=" + runAs.uid(), "--regid=" + runAs.gid(),
                    runAs.user() != null ? "--init-groups" : "--clear-groups",
                    // A master given capabilities (not root) would otherwise pass them on to the app.
                    "--inh-caps=-all", "--ambient-caps=-all", "--"));
        }
        cmd.addAll(argv);
        return cmd;
    }

    /** HOME, USER and LOGNAME of the app's user when its processes switch to it (the master's are not theirs). */
    public Map<String, String> userEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (switchesUser() && runAs.user() != null) {
            env.put("HOME", runAs.home());
            env.put("USER", runAs.user());
            env.put("LOGNAME", runAs.user());
        }
        return env;
    }

    /** Gives {@code path} (a worker socket, mode 0600) to the app's user, so that its processes can connect. */
    public void handOver(Path path) throws IOException {
        if (switchesUser()) {
            Files.setAttribute(path, "unix:gid", (int) runAs.gid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:uid", (int) runAs.uid(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The tools this app's processes need that are missing, as a message; null when none is. */
    public String missingTools() {
        List<String> missing = new ArrayList<>();
        if (limits != null && !Files.isExecutable(Path.of(PRLIMIT))) {
            missing.add("prlimit");
        }
        if (runAs != null && !Files.isExecutable(Path.of(SETPRIV))) {
            missing.add("setpriv");
        }
        return missing.isEmpty() ? null : String.join(" and ", missing) + " (util-linux) not found on PATH";
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "/usr/bin/" + command;
    }
}
