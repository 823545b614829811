package io.gatehouse.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends raw bytes over a fresh connection and reads until the server closes (bounded), for malformed input. */
public final class RawHttp {
    private RawHttp() {
    }

    /** Writes {@code request} to 127.0.0.1:{@code port} and returns everything read until EOF or 10 s of silence. */
    public static String exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** As {@link #exchange(int, String)} for bytes. */
    public static String exchange(int port, byte[] request) {
        return send(new InetSocketAddress("127.0.0.1", port), request).text();
    }

    /**
     * What came back over one connection, and the client's own port (which tells whether a server behind a proxy
     * saw the client or the proxy).
     */
    public record Reply(String text, int localPort) {
    }

    /** Writes {@code request} to {@code address} and returns everything read until EOF or 10 s of silence. */
    public static Reply send(InetSocketAddress address, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(address, 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return new Reply(readAll(s.getInputStream()), s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            // what arrived before the timeout or reset is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
