package io.gatehouse.tests.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One raw exchange with the HTTP listener over TCP (v4 or v6) or a unix socket: the bytes sent, everything read
 * until the server closes (at most {@link #TIMEOUT}), and the client's address as the server's log names it.
 */
record HttpWire(String response, String peer) {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    static HttpWire exchange(SocketAddress address, String request) {
        return exchange(address, request.getBytes(StandardCharsets.ISO_8859_1), Duration.ZERO);
    }

    /** Sends {@code request}, waits {@code pause}, then reads to the end. */
    static HttpWire exchange(SocketAddress address, byte[] request, Duration pause) {
        try (SocketChannel ch = SocketChannel.open(address); Selector selector = Selector.open()) {
            ch.write(ByteBuffer.wrap(request));
            String peer = ch.getLocalAddress() instanceof InetSocketAddress local
                    ? local.getAddress().getHostAddress() + ":" + local.getPort() : "unix";
            Thread.sleep(pause.toMillis());
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                selector.select(200);
                selector.selectedKeys().clear();
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException reset) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return new HttpWire(out.toString(StandardCharsets.ISO_8859_1), peer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The status code of the (first) response. */
    int status() {
        return response.length() >= 12 ? Integer.parseInt(response.substring(9, 12)) : -1;
    }

    /** True when the head of the response has the field line {@code name: value} (case-insensitive name). */
    boolean hasField(String name, String value) {
        String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)
                    && line.substring(colon + 1).trim().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
