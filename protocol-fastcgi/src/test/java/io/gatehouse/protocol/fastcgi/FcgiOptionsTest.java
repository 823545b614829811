package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.Binder;
import io.gatehouse.config.Problems;
import io.gatehouse.core.testing.ListenerKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The listener's YAML keys: defaults, binding and bounds, and the protocol found by its name. */
class FcgiOptionsTest {

    private static FcgiOptions bind(String keys, Problems problems) {
        return ListenerKeys.bind(new FcgiProtocol(), keys, problems);
    }

    @Test
    void defaultsAreWhatAListenerWithoutKeysGets() {
        assertEquals(FcgiOptions.DEFAULTS, Binder.defaults(FcgiOptions.class));
    }

    @Test
    void bindsEveryKey() {
        Problems problems = new Problems();
        FcgiOptions o = bind("""
                max-params-size: 16KiB
                max-params: 200
                max-body-size: 10MiB
                max-requests-in-flight: 1
                max-connections: 64
                header-timeout: 5s
                keepalive-timeout: 2m
                body-buffer: 64KiB
                """, problems);
        assertTrue(problems.isEmpty(), problems.toString());
        assertEquals(16 * 1024, o.maxParamsSize().bytes());
        assertEquals(200, o.maxParams());
        assertEquals(10 * 1024 * 1024, o.maxBodySize().bytes());
        assertEquals(1, o.maxRequestsInFlight());
        assertEquals(64, o.maxConnections());
        assertEquals(Duration.ofSeconds(5), o.headerTimeout());
        assertEquals(Duration.ofMinutes(2), o.keepaliveTimeout());
        assertEquals(64 * 1024, o.bodyBuffer().bytes());
        assertEquals(64, o.maxRequests());
    }

    @Test
    void rejectsValuesOutOfBoundsNamingTheKey() {
        Problems problems = new Problems();
        bind("max-requests-in-flight: 0\nmax-params-size: 100\nmax-connections: 0\n", problems);
        String all = problems.toString();
        assertEquals(3, problems.count(), all);
        assertTrue(all.contains("listeners[0].max-requests-in-flight"), all);
        assertTrue(all.contains("listeners[0].max-params-size"), all);
        assertTrue(all.contains("listeners[0].max-connections"), all);
    }

    @Test
    void isFoundByItsName() {
        assertTrue(ListenerKeys.named("fastcgi") instanceof FcgiProtocol);
        assertTrue(new FcgiProtocol().multiplexed());
    }
}
