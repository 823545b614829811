package io.gatehouse.tests.apps;

import io.gatehouse.app.App;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Responder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Reads the whole request body and answers its length and SHA-256 ({@code length=N sha256=HEX}), plus the method,
 * CONTENT_LENGTH and CONTENT_TYPE it saw: for upload tests of any size with constant memory.
 */
public final class EchoApp implements App {
    @Override
    public void call(Environ environ, Responder responder) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long length = 0;
        try (InputStream in = responder.input()) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                length += n;
            }
        }
        String text = "method=" + environ.get("REQUEST_METHOD") + "\nlength=" + length + "\nsha256="
                + HexFormat.of().formatHex(sha.digest()) + "\ncontent-length=" + environ.get("CONTENT_LENGTH")
                + "\ncontent-type=" + environ.get("CONTENT_TYPE") + "\n";
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        responder.start(200, Headers.of("Content-Type", "text/plain", "Content-Length", Integer.toString(body.length)));
        responder.body().write(body);
    }

    /** The line an EchoApp answer has for {@code data}. */
    public static String expectedSha(byte[] data) throws Exception {
        return "sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
