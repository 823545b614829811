package io.gatehouse.protocol.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A raw HTTP/1.1 client over TCP or a unix socket for listener tests: writes exact bytes and reads exact bytes,
 * parsing responses only as far as needed to find where each ends. Every read is bounded in time.
 */
final class Http1TestClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One response as received: the head (status line and fields, up to the blank line) and the body bytes. */
    record Response(String head, byte[] body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        /** The first value of field {@code name}, or null. */
        String field(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        /** The response as it was on the wire, with chunked framing already removed from the body. */
        @Override
        public String toString() {
            return head + text();
        }
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean eof;

    private Http1TestClient(SocketAddress address) throws IOException {
        channel = SocketChannel.open(address);
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    static Http1TestClient connect(SocketAddress address) {
        try {
            return new Http1TestClient(address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Http1TestClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Http1TestClient send(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("server took no bytes for " + TIMEOUT);
                    }
                    Thread.sleep(1);
                }
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads one response; {@code head} says it answers a HEAD request (no body whatever the fields say). */
    Response read(boolean head) {
        String headText = new String(readUntil("\r\n\r\n"), StandardCharsets.ISO_8859_1);
        Response fields = new Response(headText, new byte[0]);
        int status = fields.status();
        if (head || status < 200 || status == 204 || status == 304) {
            return fields;
        }
        String te = fields.field("Transfer-Encoding");
        String cl = fields.field("Content-Length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                body.writeBytes(readExactly(size));
                expect("\r\n");
            }
            expect("\r\n");
            return new Response(headText, body.toByteArray());
        }
        if (cl != null) {
            return new Response(headText, readExactly(Integer.parseInt(cl)));
        }
        return new Response(headText, readToEnd());
    }

    Response read() {
        return read(false);
    }

    /** Everything until the server closes the connection (bounded by the timeout). */
    byte[] readToEnd() {
        while (!eof) {
            fill();
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        return all;
    }

    /** True when the server has closed the connection with nothing more to read within {@code wait}. */
    boolean closedWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!eof && pending.size() == 0 && System.nanoTime() < deadline) {
            fill(deadline);
        }
        return eof && pending.size() == 0;
    }

    /** Bytes received so far and not yet consumed by a read, waiting up to {@code wait} for some to arrive. */
    String available(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!eof && pending.size() == 0 && System.nanoTime() < deadline) {
            fill(deadline);
        }
        String s = pending.toString(StandardCharsets.ISO_8859_1);
        pending.reset();
        return s;
    }

    /** The raw bytes up to and including {@code marker}. */
    String rawUntil(String marker) {
        return new String(readUntil(marker), StandardCharsets.ISO_8859_1);
    }

    /** The client's end of the connection, as the server's log lines name the peer. */
    SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() {
        byte[] l = readUntil("\r\n");
        return new String(l, 0, l.length - 2, StandardCharsets.ISO_8859_1);
    }

    private void expect(String text) {
        String got = new String(readExactly(text.length()), StandardCharsets.ISO_8859_1);
        if (!got.equals(text)) {
            throw new AssertionError("expected " + text.replace("\r\n", "CRLF") + " got " + got);
        }
    }

    private byte[] readUntil(String marker) {
        while (true) {
            String s = pending.toString(StandardCharsets.ISO_8859_1);
            int at = s.indexOf(marker);
            if (at >= 0) {
                return take(at + marker.length());
            }
            if (eof) {
                throw new AssertionError("connection closed before " + marker.replace("\r\n", "CRLF") + "; got: " + s);
            }
            fill();
        }
    }

    private byte[] readExactly(int n) {
        while (pending.size() < n) {
            if (eof) {
                throw new AssertionError("connection closed after " + pending.size() + " of " + n + " bytes");
            }
            fill();
        }
        return take(n);
    }

    private byte[] take(int n) {
        byte[] all = pending.toByteArray();
        pending.reset();
        pending.write(all, n, all.length - n);
        return java.util.Arrays.copyOf(all, n);
    }

    private void fill() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int before = pending.size();
        while (!eof && pending.size() == before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no bytes from the server for " + TIMEOUT + "; have: "
                        + pending.toString(StandardCharsets.ISO_8859_1));
            }
            fill(deadline);
        }
    }

    private void fill(long deadline) {
        try {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            selector.select(left);
            selector.selectedKeys().clear();
            ByteBuffer b = ByteBuffer.allocate(65536);
            int n;
            while ((n = channel.read(b)) > 0) {
                pending.write(b.array(), 0, b.position());
                b.clear();
            }
            if (n < 0) {
                eof = true;
            }
        } catch (IOException e) {
            eof = true; // a reset after the server's last bytes ends the stream as a close does
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
            channel.close();
        } catch (IOException ignored) {
            // closing a test socket cannot fail in a way that matters
        }
    }
}
