package io.gatehouse.tests.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.GatehouseProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An AJP listener open to other hosts without a secret is a config error, for {@code check} and for {@code run}. */
class AjpSecretCheckTest {
    @TempDir
    Path dir;

    private static final String OPEN = """
            listeners:
              - name: ajp
                protocol: ajp
                bind: 0.0.0.0:18009
            %s
            """;

    @Test
    void checkReportsAnOpenListenerWithoutASecretWithItsLocation() {
        Path file = GatehouseProcess.write(dir, "site.yaml", OPEN.formatted(""));
        GatehouseProcess.Outcome check = GatehouseProcess.command(dir, "check", "-c", file.toString());
        assertEquals(2, check.status(), check.stdout() + check.stderr());
        assertTrue(check.stderr().contains("site.yaml:2:5: listeners[0].secret: an ajp listener on 0.0.0.0:18009 "
                + "accepts connections from other hosts, so it needs a secret"), check.stderr());
    }

    @Test
    void runRefusesToStartWithTheSameMessage() {
        Path file = GatehouseProcess.write(dir, "site.yaml", OPEN.formatted(""));
        GatehouseProcess.Outcome run = GatehouseProcess.command(dir, "run", "-c", file.toString());
        assertEquals(2, run.status(), run.stdout() + run.stderr());
        assertTrue((run.stdout() + run.stderr()).contains("listeners[0].secret: an ajp listener on 0.0.0.0:18009"),
                run.stdout() + run.stderr());
    }

    @Test
    void checkAcceptsTheListenerWithASecretOrAnExplicitOptOut() {
        for (String extra : new String[] {"    secret: s3cret", "    allow-no-secret: true"}) {
            Path file = GatehouseProcess.write(dir, "site.yaml", OPEN.formatted(extra));
            GatehouseProcess.Outcome check = GatehouseProcess.command(dir, "check", "-c", file.toString());
            assertEquals(0, check.status(), check.stdout() + check.stderr());
            assertTrue(check.stdout().contains("ajp: ajp on 0.0.0.0:18009"), check.stdout());
        }
    }
}
