package io.gatehouse.examples.hello;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.nio.charset.StandardCharsets;

/** The smallest JVM app: a fixed greeting, the Java counterpart of WSGI's hello world. */
public final class HelloApp implements App {
    private static final byte[] BODY = "Hello, world!\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        responder.start(200, Headers.of("Content-Type", "text/plain", "Content-Length", Integer.toString(BODY.length)));
        responder.body().write(BODY);
    }
}
