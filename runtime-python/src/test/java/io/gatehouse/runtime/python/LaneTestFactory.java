package io.gatehouse.runtime.python;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker factory of the lane tests: app 'app' (one thread) of a minimal config with the given python options,
 * on a transport of its own, its socket in {@code runDir}; no process is ever started.
 */
final class LaneTestFactory implements AutoCloseable {
    private final Transport transport;
    private final PythonWorkerFactory factory;

    private LaneTestFactory(Transport transport, PythonWorkerFactory factory) {
        this.transport = transport;
        this.factory = factory;
    }

    static LaneTestFactory open(Path runDir, PythonOptions options) throws IOException {
        Transport transport = Transport.create(1);
        AppConfig app = ConfigLoader.parse("""
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:8080
                apps:
                  - name: app
                    runtime: python
                    threads: 1
                """, runDir.resolve("site.yaml"), Map.of()).config().apps().get(0);
        return new LaneTestFactory(transport, PythonWorkerFactory.open(app, PythonLaunch.of(app, options),
                new RuntimeContext(transport, runDir)));
    }

    /** A new worker, not started, reporting to {@code events}. */
    PythonWorker worker(RecordingEvents events) {
        return (PythonWorker) factory.create(1, events);
    }

    @Override
    public void close() {
        factory.close();
        transport.close();
    }
}
