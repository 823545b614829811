package io.gatehouse.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A whole Gatehouse configuration: the master, logging, stats, listeners and apps.
 *
 * @param appsDir a directory or glob of files that each hold more listeners and apps, watched while the master runs
 *                (uWSGI's emperor, done simply); null for none
 */
public record GatehouseConfig(
        MasterConfig master,
        LoggingConfig logging,
        StatsConfig stats,
        String appsDir,
        List<ListenerConfig> listeners,
        List<AppConfig> apps) {

    public GatehouseConfig {
        master = master != null ? master : Binder.defaults(MasterConfig.class);
        logging = logging != null ? logging : Binder.defaults(LoggingConfig.class);
        stats = stats != null ? stats : Binder.defaults(StatsConfig.class);
        if (appsDir != null && appsDir.isBlank()) {
            throw new ConfigValueException("apps-dir", "must not be empty");
        }
        // Null items stand for entries that failed to bind; they only exist while errors are being collected.
        listeners = listeners == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(listeners));
        apps = apps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(apps));
    }
}
