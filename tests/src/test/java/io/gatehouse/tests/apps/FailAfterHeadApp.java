package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.io.OutputStream;

/**
 * Sends a 200 head and 100 000 bytes without a Content-Length, then, a moment later, fails: the client must see a
 * truncated body.
 */
public final class FailAfterHeadApp implements App {
    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        responder.start(200, Headers.of("Content-Type", "application/octet-stream"));
        OutputStream out = responder.body();
        out.write(new byte[100_000]);
        out.flush();
        Thread.sleep(300); // a web server that buffers (lighttpd) has started its response by now
        throw new IllegalStateException("failing after the head, on purpose");
    }
}
