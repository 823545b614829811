package io.gatehouse.examples.hello;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Shows what an app sees: the environ as {@code KEY=value} lines (native strings written back byte for byte), and
 * for POST the request body's length. Useful to check mounts, headers and front-server variables.
 */
public final class EnvironApp implements App {

    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < environ.size(); i++) {
            text.append(environ.key(i)).append('=').append(environ.value(i)).append('\n');
        }
        long bodyLength = 0;
        try (InputStream in = responder.input()) {
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) > 0; ) {
                bodyLength += n;
            }
        }
        text.append("body-length=").append(bodyLength).append('\n');
        responder.start(200, Headers.of("Content-Type", "text/plain; charset=iso-8859-1"));
        try (OutputStream out = responder.body()) {
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
