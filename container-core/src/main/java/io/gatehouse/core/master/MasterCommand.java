package io.gatehouse.core.master;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What the master's loop takes in: a signal, or a request from the control socket; each names its handler. */
sealed interface MasterCommand permits MasterSignal, MasterCommand.Reload {

    /** Runs this command's handler on the master's loop. */
    void deliverTo(Master master);

    /**
     * Reload the config; {@code apps} are replaced even if their config did not change (new code); the report
     * completes when the reload has ended, applied or refused.
     */
    record Reload(Set<String> apps, CompletableFuture<ReloadReport> report) implements MasterCommand {
        @Override
        public void deliverTo(Master master) {
            master.onReload(this);
        }
    }
}
