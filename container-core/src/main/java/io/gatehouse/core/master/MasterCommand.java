package io.gatehouse.core.master;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What the master's loop takes in: a signal, or a request from the control socket. */
public sealed interface MasterCommand permits MasterSignal, MasterCommand.Reload {

    /**
     * Reload the config; {@code apps} are replaced even if their config did not change (new code); the report
     * completes when the reload has ended, applied or refused.
     */
    record Reload(Set<String> apps, CompletableFuture<ReloadReport> report) implements MasterCommand {
    }
}
