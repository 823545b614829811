package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/python-hello.yaml, run as its header comment says (with the apps copied beside it). */
class PythonExampleTest {
    @TempDir
    Path dir;

    @Test
    void servesThePlainAndTheFlaskExample() throws IOException {
        Path examples = Distribution.repositoryRoot().resolve("examples");
        Files.createDirectories(dir.resolve("python"));
        for (String app : new String[] {"hello.py", "flask_app.py"}) {
            Files.copy(examples.resolve("python").resolve(app), dir.resolve("python").resolve(app));
        }
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, Files.readString(examples.resolve("python-hello.yaml")),
                Map.of("GATEHOUSE_BIND", "127.0.0.1:" + port, "PYTHONDONTWRITEBYTECODE", "1"))) {
            assertEquals("Hello, world!\n", get(port, "/hello").body());
            assertEquals("Hello, you!\n", get(port, "/flask/greet/you").body());
            HttpRequest post = HttpRequest.newBuilder(PythonApps.uri(port, "/flask/sum"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"numbers\":[1,2,3]}")).build();
            assertEquals("{\"count\":3,\"total\":6}", PythonApps.send(post).body().trim());
        }
    }
}
