package io.gatehouse.tests.environ;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The matrix's client: it writes each request byte for byte as {@link MatrixRequest} spells it (no header a library
 * would add, such as the {@code Content-Length: 0} Java's HttpClient puts on every GET), over plain TCP or TLS to
 * 127.0.0.1, with {@code Connection: close}, and reads the answer to the end. The body is written by a thread of its
 * own, so that a front server that answers before reading it (411) is heard.
 */
final class MatrixClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** An answer: its status, its head as sent, and its body with any chunked coding removed. */
    record Answer(int status, String head, byte[] body) {
        String text() {
            return status + " " + head + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private MatrixClient() {
    }

    /** Sends {@code request} to 127.0.0.1:{@code port} (over TLS when {@code tls} is not null) and reads the answer. */
    static Answer exchange(int port, SSLContext tls, MatrixRequest request, String cell) {
        try (Socket socket = connect(port, tls)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.head("127.0.0.1:" + port, cell));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    request.writeBody(out);
                    out.flush();
                } catch (IOException e) {
                    // the front server answered and closed before taking the whole body: its answer says why
                }
            }, "matrix-body-" + cell);
            writer.start();
            byte[] all = readAll(socket.getInputStream());
            writer.join(TIMEOUT.toMillis());
            return parse(all, request == MatrixRequest.HEAD);
        } catch (IOException e) {
            throw new UncheckedIOException("exchange of " + cell, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted in " + cell);
        }
    }

    private static Socket connect(int port, SSLContext tls) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        if (tls == null) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static Answer parse(byte[] all, boolean head) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new AssertionError("not an HTTP answer: " + text);
        }
        String headText = text.substring(0, end + 4);
        int status = Integer.parseInt(headText.substring(9, 12));
        byte[] body = head ? new byte[0] : Arrays.copyOfRange(all, end + 4, all.length);
        if (headText.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked\r\n")) {
            body = dechunk(body);
        }
        return new Answer(status, headText, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (;;) {
            int lineEnd = text.indexOf("\r\n", at);
            String size = text.substring(at, lineEnd);
            int n = Integer.parseInt(size.contains(";") ? size.substring(0, size.indexOf(';')) : size.trim(), 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, n);
            at = lineEnd + 2 + n + 2;
        }
    }
}
