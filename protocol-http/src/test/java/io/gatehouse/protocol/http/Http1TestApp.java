package io.gatehouse.protocol.http;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM app behind the listener tests, one behaviour per path: {@code /hello}, {@code /echo} (the body back with
 * its length), {@code /environ} (sorted KEY=value lines), {@code /stream} (three flushed pieces of unknown total
 * length), {@code /slow} (answers after 300 ms), {@code /thread} (the name of the thread it runs on),
 * {@code /big} (50 MB in 64 KiB writes, counting the writes that fail in {@link #FAILED_WRITES}), {@code /late-echo}
 * (starts its answer, then reads the body and sends its length).
 */
public final class Http1TestApp implements App {
    /** Responses of /big whose writes failed: the client went away or was cut. */
    static final AtomicInteger FAILED_WRITES = new AtomicInteger();

    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        String path = environ.get("PATH_INFO");
        switch (path) {
            case "/echo" -> {
                byte[] body;
                try (InputStream in = responder.input()) {
                    body = in.readAllBytes();
                }
                byte[] text = ("length=" + body.length + "\n" + new String(body, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1);
                answer(responder, 200, text);
            }
            case "/environ" -> {
                StringBuilder sb = new StringBuilder();
                new TreeMap<>(environ.toMap()).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
                answer(responder, 200, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
            case "/stream" -> {
                responder.start(200, Headers.of("Content-Type", "text/plain"));
                OutputStream out = responder.body();
                for (String piece : new String[] {"one ", "two ", "three"}) {
                    out.write(piece.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            case "/thread" -> answer(responder, 200, Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8));
            case "/slow" -> {
                Thread.sleep(300);
                answer(responder, 200, "slow".getBytes(StandardCharsets.US_ASCII));
            }
            case "/big" -> {
                responder.start(200, Headers.of("Content-Type", "application/octet-stream"));
                byte[] block = new byte[64 * 1024];
                try {
                    for (int i = 0; i < 800; i++) {
                        responder.body().write(block);
                    }
                } catch (IOException e) {
                    FAILED_WRITES.incrementAndGet();
                    throw e;
                }
            }
            case "/late-echo" -> {
                responder.start(200, Headers.of("Content-Type", "text/plain"));
                responder.body().write("reading\n".getBytes(StandardCharsets.US_ASCII));
                responder.body().flush();
                try (InputStream in = responder.input()) {
                    responder.body().write(("length=" + in.readAllBytes().length).getBytes(StandardCharsets.US_ASCII));
                }
            }
            default -> answer(responder, 200, ("hello " + path).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void answer(Responder responder, int status, byte[] body) throws Exception {
        responder.start(status, Headers.of("Content-Type", "text/plain"));
        responder.body().write(body);
    }
}
