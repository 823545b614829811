package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;

/** Answers 302 Found to {@code SCRIPT_NAME + "/target"}, with a Set-Cookie, and an empty body. */
public final class RedirectApp implements App {
    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        String location = environ.getOrDefault("SCRIPT_NAME", "") + "/target";
        responder.start(302, Headers.of("Location", location, "Set-Cookie", "seen=1; Path=/", "Content-Length", "0"));
    }
}
