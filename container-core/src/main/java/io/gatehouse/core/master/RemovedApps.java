package io.gatehouse.core.master;

import io.gatehouse.core.cgroup.MasterCgroups;
import io.gatehouse.core.pool.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The apps a reload removed: their pools stop after the requests they run, and are let go once their workers are,
 * and then their cgroups.
 */
final class RemovedApps {
    // The master's own lines keep its name ([Master] in the log), as operators and tests look for them.
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    private final List<AppSet.Mounted> stopping = new ArrayList<>();
    private final MasterCgroups cgroups;

    RemovedApps(MasterCgroups cgroups) {
        this.cgroups = cgroups;
    }

    /** Stops the pools of {@code removed}, which no longer route any request. */
    void stop(List<AppSet.Mounted> removed) {
        for (AppSet.Mounted m : removed) {
            LOG.info("app '" + m.name() + "' removed; draining it");
            if (m.pool() != null) {
                m.pool().stop();
                stopping.add(m);
            } else {
                cgroups.release(m.name());
            }
        }
    }

    /** From the master's tick: supervises the pools still stopping, and lets go of those whose workers are gone. */
    void reapStopped() {
        stopping.removeIf(this::stopped);
    }

    private boolean stopped(AppSet.Mounted m) {
        if (!m.pool().status().workers().isEmpty()) {
            m.pool().tick();
            return false;
        }
        try {
            m.pool().awaitExit(System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("app '" + m.name() + "' stopped");
        cgroups.release(m.name());
        return true;
    }

    /** The pools still stopping, for a stop of the server. */
    List<WorkerPool> pools() {
        return stopping.stream().map(AppSet.Mounted::pool).toList();
    }
}
