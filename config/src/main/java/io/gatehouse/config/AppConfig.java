package io.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One mounted app and the supervision of its worker pool; uWSGI's names where it has one.
 *
 * @param origin where the app's mapping starts, for later messages about it
 * @param name unique among apps, used in logs and metrics
 * @param runtime the runtime's name, such as {@code python} or {@code jvm}
 * @param mount URL prefix the app serves; {@code /} for everything
 * @param hosts virtual hosts the app answers; empty for the default host
 * @param queue requests waiting for a worker before the pool answers 503
 * @param harakiri longest a request may run before its worker is replaced; 0 for no limit
 * @param maxRequests requests a worker serves before it is recycled; 0 for no limit
 * @param reloadOnRss resident memory above which a worker is recycled; 0 for no limit
 * @param reloadMercy how long a worker being recycled may finish its requests
 * @param bootTimeout how long a new worker may take to load the app before it counts as a failed start
 * @param cheaper the pool's adaptive size, or null for a fixed {@code workers}
 * @param user who the app's processes run as (a name or a uid); null: the master's user (after master.user)
 * @param group the group they run as (a name or a gid); null: the user's primary group, or the master's group
 * @param limits resource limits on each of the app's processes, or null for none
 * @param cgroup limits on the app's processes together, in a cgroup of the app's own, or null for none
 * @param reload how a reload replaces the workers, or null for the master's {@code reload}
 * @param touchReload files whose change of modification time (or appearing, or disappearing) reloads the app
 * @param options the runtime's own keys ({@code module}, {@code wsgi-file}, {@code class}...), bound later
 */
public record AppConfig(
        @Origin Location origin,
        @Required String name,
        @Required String runtime,
        @Default("/") String mount,
        List<String> hosts,
        @Default("1") WorkerCount workers,
        @Default("1") @Min(1) @Max(1024) int threads,
        @Default("100") @Min(0) int queue,
        @Default("0") Duration harakiri,
        @Default("0") @Min(0) long maxRequests,
        @Default("0") @UnitRequired(uwsgi = "megabytes", unit = "MiB") DataSize reloadOnRss,
        @Default("60s") Duration reloadMercy,
        @Default("60s") Duration bootTimeout,
        CheaperConfig cheaper,
        String user,
        String group,
        LimitsConfig limits,
        CgroupConfig cgroup,
        ReloadMode reload,
        List<String> touchReload,
        @Rest OptionKeys options) {

    public AppConfig {
        // The binder may pass a null item for a host it already reported, so copy without List.copyOf.
        hosts = hosts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hosts));
        touchReload = touchReload == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(touchReload));
        if (name != null && name.isBlank()) {
            throw new ConfigValueException("name", "must not be empty");
        }
        checkMount(mount);
        checkCheaper(workers, cheaper);
        AccountName.check("user", user);
        AccountName.check("group", group);
        if (bootTimeout != null && (bootTimeout.isZero() || bootTimeout.isNegative())) {
            throw new ConfigValueException("boot-timeout", "must be longer than 0, got "
                    + DurationFormat.format(bootTimeout));
        }
        for (String host : hosts) {
            if (host != null && host.isBlank()) {
                throw new ConfigValueException("hosts", "a host must not be empty");
            }
        }
        for (String file : touchReload) {
            if (file != null && file.isBlank()) {
                throw new ConfigValueException("touch-reload", "a file name must not be empty");
            }
        }
    }

    /** With cheaper, {@code workers} is the starting count and must lie within its bounds ({@code auto} is clamped). */
    private static void checkCheaper(WorkerCount workers, CheaperConfig cheaper) {
        if (cheaper == null || cheaper.max() < 1 || workers == null || workers.isAuto()) {
            return;
        }
        int n = workers.resolve();
        if (n < cheaper.min() || n > cheaper.max()) {
            throw new ConfigValueException("workers", "must be between cheaper.min (" + cheaper.min()
                    + ") and cheaper.max (" + cheaper.max() + "), got " + n);
        }
    }

    /** Mounts are compared as written by the router, so anything that would need normalising is refused. */
    private static void checkMount(String mount) {
        if (mount == null) {
            return;
        }
        if (!mount.startsWith("/")) {
            throw new ConfigValueException("mount", "must start with '/', got '" + mount + "'");
        }
        if (mount.length() > 1 && mount.endsWith("/")) {
            throw new ConfigValueException("mount", "must not end with '/' (except the root '/'), got '" + mount + "'");
        }
        if (mount.contains("//")) {
            throw new ConfigValueException("mount", "must not contain '//', got '" + mount + "'");
        }
        for (String segment : mount.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new ConfigValueException("mount", "must not contain '.' or '..' segments, got '" + mount + "'");
            }
        }
    }
}
