package io.gatehouse.tests.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Wrk;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood far over a WSGI app's queue: the excess is answered 503 at once, and the worker keeps serving at about
 * the rate it serves without the flood. The app sleeps rather than computes, so its rate does not depend on what
 * CPU the flood leaves it; what could starve it is its connection to the master waiting behind the flood's I/O.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueueFloodTest extends PythonServerCase {
    static final int SECONDS = 3;

    @Override
    String apps() {
        return PythonApps.app("sleepy", "/s", PythonApps.lifecycleApp("workers: 1\nqueue: 8"));
    }

    @Test
    void aFloodAnswered503LeavesTheWorkerServingAtItsRate() {
        String url = "http://127.0.0.1:" + port + "/s/sleep?ms=2";
        Wrk.Result light = Wrk.start(dir, url, 1, 4, SECONDS).await();
        assertEquals(0, light.non2xx(), "four at a time fit the queue: " + light.output());
        Wrk.Result flood = Wrk.start(dir, url, 2, 200, SECONDS).await();
        long served = flood.requests() - flood.non2xx();
        System.out.printf("worker alone: %d req/s; under a flood of %d req/s answered 503: %d req/s served%n",
                light.requests() / SECONDS, flood.non2xx() / SECONDS, served / SECONDS);
        assertTrue(flood.non2xx() > flood.requests() / 2, "a flood over the queue, mostly refused: " + flood.output());
        assertTrue(served * 2 >= light.requests(), "the worker served " + served + " in " + SECONDS + " s under the "
                + "flood, " + light.requests() + " without it");
    }
}
