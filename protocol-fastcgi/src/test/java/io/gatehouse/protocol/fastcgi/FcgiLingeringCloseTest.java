package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.SocketListener;
import io.gatehouse.spi.runtime.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over a real loopback socket: a request answered (here refused with 413) while its body is still coming is read to
 * its end before the connection closes, so a web server that sends the whole body before reading (Apache) gets the
 * answer instead of a reset.
 */
@ExtendWith(LeakCheck.class)
class FcgiLingeringCloseTest {
    private final Transport transport = Transport.create(1);

    @AfterEach
    void stop() {
        transport.close();
    }

    /** A listener on a loopback port that lingers {@code lingerMillis} at most; its app answers 500. */
    private SocketListener listen(FcgiOptions options, long lingerMillis) throws IOException {
        return SocketListener.bind(transport, "linger", "127.0.0.1:0", new FcgiProtocol(lingerMillis), options,
                e -> e.response().error(500, null));
    }

    @Test
    void readsTheRestOfABodyBeforeClosingSoTheAnswerArrives() throws Exception {
        SocketListener server = listen(limitedTo1KiB(), 5000);
        int bodySize = 32 * 1024 * 1024;
        byte[] head = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .params(1, nginxParams("POST", "/upload", Integer.toString(bodySize))).bytes();
        byte[] body = new FcgiRequestWriter().stdin(1, new byte[bodySize]).stdinEnd(1).bytes();
        try (LogCapture log = LogCapture.exchanges();
                Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(20_000);
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(s));
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(body); // as Apache does: the whole body first; a reset here would lose the answer
            out.flush();
            byte[] got = answer.get(20, TimeUnit.SECONDS);
            FcgiRecordReader records = FcgiRecordReader.parse(got);
            assertTrue(records.stdoutText(1).startsWith("Status: 413 Content Too Large\r\n"), records.toString());
            assertArrayEquals(new int[] {0, 0}, records.endRequest(1));
            assertEquals(1, log.warnings().size(), log.toString());
        } finally {
            server.close();
        }
    }

    @Test
    void closesAfterTheLingerTimeWhenTheBodyNeverEnds() throws Exception {
        SocketListener server = listen(limitedTo1KiB(), 300);
        byte[] head = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .params(1, nginxParams("POST", "/upload", "100000")).stdin(1, new byte[5000]).bytes();
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head);
            long start = System.nanoTime();
            FcgiRecordReader records = FcgiRecordReader.parse(readAll(s)); // the answer, then the output's end
            assertTrue(records.stdoutText(1).startsWith("Status: 413 "), records.toString());
            byte[] more = new FcgiRequestWriter().stdin(1, new byte[1000]).bytes(); // the body goes on, never ends
            long deadline = start + TimeUnit.SECONDS.toNanos(5);
            boolean reset = false;
            for (int i = 0; i < 20 && i * 1000 + 5000 < 100_000 && System.nanoTime() < deadline && !reset; i++) {
                try {
                    out.write(more);
                    out.flush();
                    Thread.sleep(100);
                } catch (IOException e) {
                    reset = true; // the server closed for good: the linger time is over
                }
            }
            assertTrue(reset, "the connection closes after the linger time although the body never ended");
        } finally {
            server.close();
        }
    }

    private static FcgiOptions limitedTo1KiB() {
        FcgiOptions d = FcgiOptions.DEFAULTS;
        return new FcgiOptions(d.maxParamsSize(), d.maxParams(), DataSize.ofKibibytes(1), d.maxRequestsInFlight(),
                d.bodyBuffer());
    }

    private static byte[] readAll(Socket s) {
        try {
            InputStream in = s.getInputStream(); // not closed here: that would close the socket the test writes to
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
