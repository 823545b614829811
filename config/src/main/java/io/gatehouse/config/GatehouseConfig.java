package io.gatehouse.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A whole Gatehouse configuration: the master, logging, stats, listeners and apps. */
public record GatehouseConfig(
        MasterConfig master,
        LoggingConfig logging,
        StatsConfig stats,
        List<ListenerConfig> listeners,
        List<AppConfig> apps) {

    public GatehouseConfig {
        master = master != null ? master : Binder.defaults(MasterConfig.class);
        logging = logging != null ? logging : Binder.defaults(LoggingConfig.class);
        stats = stats != null ? stats : Binder.defaults(StatsConfig.class);
        // Null items stand for entries that failed to bind; they only exist while errors are being collected.
        listeners = listeners == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(listeners));
        apps = apps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(apps));
    }
}
