package io.gatehouse.spi.runtime;

import io.gatehouse.config.AppConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where an app's processes go in the cgroup v2 tree: with the master's cgroup delegated to it (systemd's
 * {@code Delegate=yes}), each app that runs processes of its own has a cgroup of its own, limited by its
 * {@code cgroup} keys; otherwise they stay in the master's cgroup.
 */
@FunctionalInterface
public interface AppCgroups {

    /** Apps get no cgroup of their own: their processes stay in the master's. */
    AppCgroups NONE = app -> null;

    /**
     * Makes {@code app}'s cgroup if needed and writes its limits (those left out are lifted); returns the
     * {@code cgroup.procs} file its processes join as they start, or null when they stay in the master's cgroup.
     *
     * @throws IOException when the cgroup cannot be made or its limits written
     */
    Path place(AppConfig app) throws IOException;
}
