package io.gatehouse.core.master;

import java.util.concurrent.CompletableFuture;

/** What the master's loop takes in: a signal, or a request from the control socket; each names its handler. */
sealed interface MasterCommand permits MasterSignal, MasterCommand.Reload {

    /** Runs this command's handler on the master's loop. */
    void deliverTo(Master master);

    /**
     * Reload what {@code scope} says (the whole config and every app's code, the config alone, some apps, some
     * apps-dir files); the report completes when the reload has ended, applied or refused.
     */
    record Reload(ReloadScope scope, CompletableFuture<ReloadReport> report) implements MasterCommand {
        @Override
        public void deliverTo(Master master) {
            master.onReload(this);
        }
    }
}
