package io.gatehouse.tests.python;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.LogLines;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Debian's Django through its ASGI handler ({@code django.core.asgi.get_asgi_application}), preloaded into two
 * workers: the Django test's routes and answers (the handler spools the multipart upload to disk, so memory stays
 * bounded), and Django's refusal of the lifespan scope tolerated, as the ASGI spec wants.
 */
class DjangoAsgiAppTest extends DjangoAppTest {
    @Override
    String apps() {
        return PythonApps.app("django", "/",
                "module: djsite.asgi\nchdir: " + PythonApps.dir() + "\nworkers: 2\npreload: true");
    }

    @Test
    void servesWithoutTheLifespanDjangoDoesNotSupport() {
        // each worker says so on its stderr, relayed by the fork server
        Await.until("both workers to say they run without lifespan", Duration.ofSeconds(10),
                () -> LogLines.count(server.output(), "does not support the ASGI lifespan protocol (ValueError: "
                        + "Django can only handle ASGI/HTTP connections, not lifespan.)") == 2);
    }
}
