package io.gatehouse.tests.python;

import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One Gatehouse per test class, serving the class's Python apps over HTTP on 127.0.0.1, stopped after its tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PythonServerCase {
    GatehouseProcess server;
    int port;
    /** The server's directory (config, logs), also free for the tests' own files. */
    Path dir;

    /** The entries under {@code apps:}, as {@link PythonApps#app} makes them. */
    abstract String apps();

    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        port = FreePort.pick();
        server = GatehouseProcess.start(dir, GatehouseYaml.httpSite(port, apps()));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }
}
