package io.gatehouse.core.master;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.cgroup.CgroupChecks;
import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.Privileges;
import io.gatehouse.spi.runtime.RunAs;

/**
 * The checks of {@code user}, {@code group}, {@code limits} and {@code cgroup}: that in-process apps have none, that
 * every name is in the system's database, and that apps agree with master.user; and, for {@code run} and reloads
 * only, that this process may switch to them and divide its cgroup ({@code check} needs no privilege, so that
 * anyone can check a config).
 */
final class PrivilegeChecks {
    private final Privileges running;
    private final RunAs master;
    private final CgroupChecks cgroups;

    private PrivilegeChecks(RunAs master, Privileges running, CgroupChecks cgroups) {
        this.master = master;
        this.running = running;
        this.cgroups = cgroups;
    }

    /**
     * The checks of a main config file, whose master section is checked too, at {@code document}'s "master".
     *
     * @param running the privileges of the master that will run the config, or null for {@code check}
     */
    static PrivilegeChecks ofMain(GatehouseConfig config, ConfigScope document, Privileges running,
            CgroupChecks cgroups) {
        return new PrivilegeChecks(masterUser(config, document.key("master"), running), running, cgroups);
    }

    /** The checks of an apps-dir file, against the master section of {@code main} (null: not known yet). */
    static PrivilegeChecks ofAppsFile(GatehouseConfig main, Privileges running, CgroupChecks cgroups) {
        RunAs master = null;
        if (main != null && main.master().user() != null) {
            try {
                master = RunAs.resolve(main.master().user(), main.master().group());
            } catch (IllegalArgumentException e) {
                // the main file's own check reports it
            }
        }
        return new PrivilegeChecks(master, running, cgroups);
    }

    private static RunAs masterUser(GatehouseConfig config, ConfigScope where, Privileges running) {
        String user = config.master().user();
        if (user == null) {
            return null;
        }
        RunAs who = resolve(user, config.master().group(), where);
        if (who != null && running != null && !running.alreadyRunsAs(who) && !running.canSwitchTo(who)) {
            where.key("user").error("dropping to " + who.describe() + " needs gatehouse started as root; it runs as "
                    + running.describe() + " without " + Privileges.SWITCH_CAPABILITIES);
        }
        return who;
    }

    /** Checks one app's keys, at {@code where}, the app's place. */
    void checkApp(AppConfig app, AppRuntime<?> runtime, ConfigScope where) {
        if (!runtime.separateProcesses()) {
            inProcess(app, where);
            return;
        }
        cgroups.checkApp(app, where);
        if (app.user() == null) {
            if (app.group() != null) {
                where.key("group").error("needs user: an app runs as a user and its group");
            }
            return;
        }
        RunAs who = resolve(app.user(), app.group(), where);
        if (who == null) {
            return;
        }
        if (master != null && (who.uid() != master.uid() || who.gid() != master.gid())) {
            where.key("user").error("runs as " + who.describe() + ", but master.user drops the whole server to "
                    + master.describe() + ", after which no process can be started as another user; leave user: "
                    + "out, or leave out master.user (the master then stays root, as nginx's and gunicorn's do)");
        } else if (running != null && master == null && !running.canSwitchTo(who)) {
            where.key("user").error("starting the app as " + who.describe() + " needs root or "
                    + Privileges.SWITCH_CAPABILITIES + " (systemd: AmbientCapabilities=); gatehouse runs as "
                    + running.describe());
        }
        if (running != null) {
            String missing = AppLauncher.of(app).missingTools();
            if (missing != null) {
                where.key(app.limits() != null ? "limits" : "user").error(missing);
            }
        }
    }

    private static void inProcess(AppConfig app, ConfigScope where) {
        String why = "a " + app.runtime() + " app runs inside the master";
        if (app.user() != null) {
            where.key("user").error(why + ", so it cannot run as another user; set master.user to run the whole "
                    + "server as that user");
        }
        if (app.group() != null) {
            where.key("group").error(why + ", so it cannot run as another group; set master.group");
        }
        if (app.limits() != null) {
            where.key("limits").error(why + ", so the master's own limits apply (systemd: LimitNOFILE=, "
                    + "LimitAS=...)");
        }
        if (app.cgroup() != null) {
            where.key("cgroup").error(why + ", so it is in the master's cgroup (systemd: MemoryMax=, CPUQuota= "
                    + "on the service)");
        }
    }

    private static RunAs resolve(String user, String group, ConfigScope where) {
        try {
            return RunAs.resolve(user, group);
        } catch (IllegalArgumentException e) {
            boolean groupMissing = group != null && e.getMessage().startsWith("no group");
            where.key(groupMissing ? "group" : "user").error(e.getMessage());
            return null;
        }
    }
}
