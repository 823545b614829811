package io.gatehouse.core.stats;

import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.spi.exchange.Exchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The request meters, fed by every finished exchange: {@code gatehouse.requests} by app, listener and status class,
 * and {@code gatehouse.request.duration} by app (a histogram with fixed buckets). After the first request of an
 * app on a listener, recording looks up two maps and allocates nothing.
 */
public final class RequestMeters implements ExchangeLog {
    /** The histogram's bucket bounds, from 1 ms to 60 s. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60),
    };
    private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final String NO_APP = "none";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter[]>> byListener =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    /** Meters registered in {@code registry}. */
    public RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void finished(Exchange exchange, String listener, boolean ok) {
        String app = exchange.appName() != null ? exchange.appName() : NO_APP;
        int status = exchange.response().status();
        int cls = status >= 100 && status < 600 ? status / 100 : 0;
        Counter[] counters = byListener.computeIfAbsent(listener, l -> new ConcurrentHashMap<>()).get(app);
        if (counters == null) {
            counters = byListener.get(listener).computeIfAbsent(app, a -> counters(listener, a));
        }
        counters[cls].increment();
        Timer timer = timers.get(app);
        if (timer == null) {
            timer = timers.computeIfAbsent(app, this::timer);
        }
        timer.record(System.nanoTime() - exchange.startNanos(), TimeUnit.NANOSECONDS);
    }

    private Counter[] counters(String listener, String app) {
        Counter[] out = new Counter[CLASSES.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Counter.builder("gatehouse.requests").description("Requests answered")
                    .tags("app", app, "listener", listener, "status", CLASSES[i]).register(registry);
        }
        return out;
    }

    private Timer timer(String app) {
        // A century-long window keeps the buckets cumulative, as Prometheus histograms must be.
        return Timer.builder("gatehouse.request.duration").description("Time from request head to the end of the "
                + "response").tags("app", app).serviceLevelObjectives(BUCKETS)
                .distributionStatisticExpiry(Duration.ofDays(36_500)).distributionStatisticBufferLength(1)
                .register(registry);
    }
}
