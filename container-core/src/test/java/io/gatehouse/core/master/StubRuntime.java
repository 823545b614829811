package io.gatehouse.core.master;

import io.gatehouse.app.Headers;
import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.InProcessWorker;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runtime for the master's tests, named {@code jvm} (an app with code) or {@code static} (without): its one key is
 * a {@code version}; its workers are ready as soon as they start and answer 204. It records each app it prepares,
 * so a test sees which apps got new workers.
 */
final class StubRuntime implements AppRuntime<StubRuntime.Options> {
    /** The app's one key of this runtime. */
    record Options(String version) {
    }

    final List<String> prepared = new CopyOnWriteArrayList<>();
    private final String name;

    private StubRuntime(String name) {
        this.name = name;
    }

    static StubRuntime withCode() {
        return new StubRuntime("jvm");
    }

    static StubRuntime withoutCode() {
        return new StubRuntime("static");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean loadsCode() {
        return name.equals("jvm");
    }

    @Override
    public Class<Options> optionsType() {
        return Options.class;
    }

    @Override
    public WorkerFactory prepare(AppConfig app, Options options, RuntimeContext context) {
        prepared.add(app.name());
        return (id, events) -> new InProcessWorker(id, 1, events) {
            @Override
            public void start() {
                events.ready(this);
            }

            @Override
            public void handle(Exchange exchange) {
                exchange.response().error(204, new Headers());
                events.finished(this, exchange);
            }

            @Override
            public void stop() {
                reportExit(0, "stopped");
            }

            @Override
            public void kill() {
                reportExit(137, "killed");
            }
        };
    }
}
