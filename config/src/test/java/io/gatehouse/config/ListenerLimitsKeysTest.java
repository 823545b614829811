package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits every listener has: max-connections and the timeouts, their defaults and bounds. */
class ListenerLimitsKeysTest {

    private static String listener(String extra) {
        return "listeners:\n  - protocol: http\n    bind: 127.0.0.1:8080\n" + extra.indent(4);
    }

    @Test
    void defaultsAreNginxsWhereNginxHasThem() {
        ListenerConfig l = parse(listener("")).listeners().get(0);
        assertEquals(16384, l.maxConnections());
        assertEquals(Duration.ofSeconds(20), l.headerTimeout());
        assertNull(l.keepaliveTimeout(), "none set: the protocol's default applies");
        assertEquals(Duration.ofSeconds(60), l.bodyTimeout());
        assertEquals(Duration.ofSeconds(60), l.sendTimeout());
        assertEquals(Duration.ofSeconds(30), l.lingeringTime());
        assertEquals(Duration.ofSeconds(5), l.lingeringTimeout());
    }

    @Test
    void bindsEveryKey() {
        ListenerConfig l = parse(listener("""
                max-connections: 100
                header-timeout: 2s
                keepalive-timeout: 0s
                body-timeout: 500ms
                send-timeout: 1m
                lingering-time: 0
                lingering-timeout: 1s
                """)).listeners().get(0);
        assertEquals(100, l.maxConnections());
        assertEquals(Duration.ofSeconds(2), l.headerTimeout());
        assertEquals(Duration.ZERO, l.keepaliveTimeout());
        assertEquals(Duration.ofMillis(500), l.bodyTimeout());
        assertEquals(Duration.ofMinutes(1), l.sendTimeout());
        assertEquals(Duration.ZERO, l.lingeringTime());
        assertEquals(Duration.ofSeconds(1), l.lingeringTimeout());
        assertNull(l.options().node().get("max-connections"), "the engine's keys never reach the protocol's");
    }

    @Test
    void reportsValuesOutOfBoundsAtTheirPlace() {
        assertEquals(List.of(
                "site.yaml:4:22: listeners[0].max-connections: must be at least 1, got 0",
                "site.yaml:5:19: listeners[0].send-timeout: must not be negative, got '-1s'"),
                errors(listener("max-connections: 0\nsend-timeout: -1s\n")));
    }
}
