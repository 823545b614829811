package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.SocketListener;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.runtime.Transport;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over a real loopback socket: a worker thread streams a response much larger than the socket buffers, waiting for
 * writability as the JVM runtime does, to a web server that reads slowly; every byte arrives, in records.
 */
@ExtendWith(LeakCheck.class)
class FcgiStreamingTest {
    private static final int CHUNK = 32 * 1024;
    private final Transport transport = Transport.create(1);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        workers.shutdownNow();
        transport.close();
    }

    /** Streams {@code total} bytes of i % 251 in 32 KiB chunks, waiting for writability between them. */
    private static void stream(Exchange e, long total) {
        Response r = e.response();
        r.head(200, null, new Headers(), -1);
        byte[] block = new byte[CHUNK];
        try {
            for (long sent = 0; sent < total; sent += CHUNK) {
                for (int i = 0; i < CHUNK; i++) {
                    block[i] = (byte) ((sent + i) % 251);
                }
                if (!r.chunk(Unpooled.copiedBuffer(block), true)
                        || (!r.writable() && !r.awaitWritable(TimeUnit.SECONDS.toNanos(10)))) {
                    r.abort();
                    return;
                }
            }
            r.end();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void streamsFromAWorkerThreadToASlowReaderWithBackpressure() throws Exception {
        long total = 200L * CHUNK;
        try (SocketListener server = SocketListener.bind(transport, "stream", "127.0.0.1:0", new FcgiProtocol(),
                FcgiOptions.DEFAULTS, e -> workers.execute(() -> stream(e, total)));
                Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(server.address(), 5000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write(new FcgiRequestWriter().request(1, true, nginxParams("GET", "/s", ""),
                    new byte[0]).bytes());
            DataInputStream in = new DataInputStream(s.getInputStream());
            long body = 0;
            boolean headDone = false;
            long pattern = 0;
            while (true) {
                byte[] h = new byte[8];
                in.readFully(h);
                int type = h[1];
                int length = (h[4] & 0xff) << 8 | h[5] & 0xff;
                byte[] content = new byte[length];
                in.readFully(content);
                in.skipNBytes(h[6] & 0xff);
                if (type == FcgiRecordType.END_REQUEST.code()) {
                    break;
                }
                int from = 0;
                if (!headDone) {
                    String text = new String(content, java.nio.charset.StandardCharsets.ISO_8859_1);
                    from = text.indexOf("\r\n\r\n") + 4;
                    headDone = true;
                }
                for (int i = from; i < length; i++, pattern++) {
                    assertEquals((byte) (pattern % 251), content[i], "byte " + pattern);
                }
                body += length - from;
                if (body % (16 * CHUNK) == 0) {
                    Thread.sleep(5); // a slow reader: the server's socket fills and writers must wait
                }
            }
            assertEquals(total, body);
            assertTrue(headDone);
        }
    }
}
