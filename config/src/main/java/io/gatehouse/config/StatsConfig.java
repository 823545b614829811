package io.gatehouse.config;

/**
 * The stats server (Prometheus text and uWSGI-style JSON).
 *
 * @param bind where it listens; null runs no stats server
 */
public record StatsConfig(BindAddress bind) {

    public StatsConfig {
        // The stats server binds its own socket; it is never handed one by systemd or a parent process.
        if (bind instanceof BindAddress.Fd || bind instanceof BindAddress.Systemd) {
            throw new ConfigValueException("bind", "the stats server listens on host:port or unix:/path, not on "
                    + bind);
        }
    }
}
