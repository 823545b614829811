package io.gatehouse.config;

/**
 * The stats server (Prometheus text and uWSGI-style JSON).
 *
 * @param bind where it listens; null runs no stats server
 */
public record StatsConfig(BindAddress bind) {
}
