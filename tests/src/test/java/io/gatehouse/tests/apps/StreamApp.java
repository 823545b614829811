package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams {@code ?bytes=N} bytes (default 50 MB) of a repeating pattern (byte i is {@code i % 251}) without a
 * Content-Length, in 64 KiB writes, so the listener must frame it and apply backpressure. The pattern lets a
 * client check every byte.
 */
public final class StreamApp implements App {
    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        String query = environ.getOrDefault("QUERY_STRING", "");
        long total = query.startsWith("bytes=") ? Long.parseLong(query.substring(6)) : 50L * 1000 * 1000;
        responder.start(200, Headers.of("Content-Type", "application/octet-stream"));
        byte[] block = new byte[251 * 261];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 251);
        }
        OutputStream out = responder.body();
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(block.length, total - sent);
            out.write(block, 0, n);
            sent += n;
        }
    }

    /** Reads {@code in} to its end, failing at the first byte that is not the pattern's; returns the byte count. */
    public static long readPattern(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        long i = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int k = 0; k < n; k++, i++) {
                if (buf[k] != (byte) (i % 251)) {
                    throw new AssertionError("byte " + i + " is " + buf[k] + ", expected " + (byte) (i % 251));
                }
            }
        }
        return i;
    }
}
