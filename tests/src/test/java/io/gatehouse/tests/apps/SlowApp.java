package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.nio.charset.StandardCharsets;

/** Sleeps for {@code ?ms=N} milliseconds, then answers "slept N": for drain, harakiri and queue tests. */
public final class SlowApp implements App {
    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        String query = environ.getOrDefault("QUERY_STRING", "");
        long ms = query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : 1000;
        Thread.sleep(ms);
        byte[] body = ("slept " + ms + "\n").getBytes(StandardCharsets.US_ASCII);
        responder.start(200, Headers.of("Content-Type", "text/plain"));
        responder.body().write(body);
    }
}
