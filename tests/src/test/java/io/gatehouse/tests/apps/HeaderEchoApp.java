package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.nio.charset.StandardCharsets;

/** Copies the request's X-Echo field into a response field, as a careless app does, then answers "echoed". */
public final class HeaderEchoApp implements App {
    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        responder.start(200, Headers.of("Content-Type", "text/plain", "X-Echo",
                environ.getOrDefault("HTTP_X_ECHO", "")));
        responder.body().write("echoed".getBytes(StandardCharsets.US_ASCII));
    }
}
