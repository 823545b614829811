package io.gatehouse.core.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

/** Work decided under a pool's lock and done after it is released (calls into workers and responses). */
final class PoolActions {
    private final List<Runnable> list = new ArrayList<>(4);

    void add(Runnable r) {
        list.add(r);
    }

    void run() {
        for (Runnable r : list) {
            try {
                r.run();
            } catch (RuntimeException e) {
                WorkerPool.LOG.log(Level.WARNING, "worker pool action failed", e);
            }
        }
    }
}
