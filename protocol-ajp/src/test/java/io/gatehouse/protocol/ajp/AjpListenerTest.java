package io.gatehouse.protocol.ajp;

import static io.gatehouse.protocol.ajp.AjpRequestWriter.body;
import static io.gatehouse.protocol.ajp.AjpRequestWriter.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.core.testing.Outbound;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The AJP codec inside a listener's real pipeline (head timer, codec, exchange handler), asserting raw bytes. */
@ExtendWith(LeakCheck.class)
class AjpListenerTest {
    private final List<Exchange> held = new ArrayList<>();
    private ListenerHarness listener;
    private EmbeddedChannel channel;

    /** Answers /hello at once; holds any other exchange for the test to drive. */
    private void app(Exchange exchange) {
        if (exchange.environ().get("PATH_INFO").equals("/hello")) {
            byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.response().head(200, null, Headers.of("Content-Type", "text/plain"), text.length);
            exchange.response().chunk(Unpooled.wrappedBuffer(text), false);
            exchange.response().end();
        } else {
            held.add(exchange);
        }
    }

    @AfterEach
    void finish() {
        AjpReply.drain(channel);
        channel.finishAndReleaseAll();
        listener.close();
    }

    /** Opens a connection to a listener with {@code options}, but this body buffer and header timeout. */
    private void open(AjpOptions options, int bodyBuffer, Duration headerTimeout) {
        AjpOptions o = new AjpOptions(options.packetSize(), options.secret(), options.allowNoSecret(),
                options.allowedAttributes(), options.maxHeaders(), options.maxBodySize(),
                options.allowUnderscoreHeaders(), DataSize.ofBytes(bodyBuffer));
        AjpProtocol protocol = new AjpProtocol();
        listener = ListenerHarness.start(protocol, o,
                ConnectionLimits.defaults(protocol).withHeaderTimeout(headerTimeout), this::app);
        channel = listener.channel();
    }

    private void feed(byte[] bytes) {
        listener.feed(bytes);
    }

    private String outboundHex() {
        return HexFormat.of().formatHex(Outbound.drain(channel));
    }

    private List<String> warnings() {
        return listener.warnings();
    }

    @Test
    void answersAGetInRawPacketsAndKeepsTheConnectionForTheNext() {
        open(AjpOptions.DEFAULTS, 65536, Duration.ofSeconds(20));
        for (int i = 0; i < 2; i++) {
            feed(AjpRequestWriter.get("/hello").build());
            assertEquals("4142001f04" + "00c8" + "00024f4b00" + "0002" + "a001" + "000a746578742f706c61696e00"
                    + "a003" + "00013500" + "4142000903" + "0005" + "68656c6c6f" + "00" + "4142000205" + "01",
                    outboundHex());
            assertTrue(channel.isOpen());
        }
        assertTrue(warnings().isEmpty());
    }

    @Test
    void refusesARequestWithoutTheSecretWith403ThenClosesWithOneLogLine() {
        open(AjpTestChannels.withSecret("s3cret"), 65536, Duration.ofSeconds(20));
        feed(join(AjpRequestWriter.get("/hello").build(), AjpRequestWriter.get("/hello").secret("s3cret").build()));
        AjpReply reply = AjpReply.drain(channel);
        assertEquals(403, reply.status);
        assertEquals("403 Forbidden\n", reply.bodyText());
        assertEquals(0, reply.reuse, "the web server must not reuse the connection");
        assertFalse(channel.isOpen(), "a request without a body closes at once");
        assertEquals(1, warnings().size());
        assertTrue(warnings().get(0).contains("403 Forbidden: forward request without the secret"),
                warnings().get(0));
    }

    @Test
    void refusesAPathAboveTheRootWith400AndOneLogLine() {
        open(AjpOptions.DEFAULTS, 65536, Duration.ofSeconds(20));
        feed(AjpRequestWriter.get("/public/../../admin").build());
        AjpReply reply = AjpReply.drain(channel);
        assertEquals(400, reply.status);
        assertEquals(0, reply.reuse, "the web server must not reuse the connection");
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains("400 Bad Request: '..' in the path climbs above /"), warnings().get(0));
    }

    @Test
    void closesOnABrokenPacketWithOneLogLineAndNoAnswer() {
        open(AjpOptions.DEFAULTS, 65536, Duration.ofSeconds(20));
        feed("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("", outboundHex());
        assertFalse(channel.isOpen());
        assertEquals(1, warnings().size());
        assertTrue(warnings().get(0).contains("bad packet magic 0x4745"));
    }

    @Test
    void asksForMoreBodyOnlyAsTheAppReadsIt() throws Exception {
        open(AjpOptions.DEFAULTS, 4096, Duration.ofSeconds(20));
        byte[] post = AjpRequestWriter.get("/upload").method("POST").header("Content-Length", "20000").build();
        feed(join(post, body(new byte[8186])));
        assertEquals(List.of(), AjpReply.drain(channel).asks, "the body buffer is full: nothing asked");
        Exchange exchange = held.get(0);
        long read = 0;
        for (int round = 0; round < 3; round++) {
            ByteBuf data = exchange.body().take(TimeUnit.SECONDS.toNanos(5));
            read += data.readableBytes();
            data.release();
            List<Integer> asks = AjpReply.drain(channel).asks;
            if (read == 20000) {
                assertEquals(List.of(), asks);
                break;
            }
            assertEquals(List.of((int) Math.min(8186, 20000 - read)), asks, "one ask per packet read");
            feed(body(new byte[asks.get(0)]));
        }
        assertEquals(20000, read);
        exchange.response().head(204, null, new Headers(), 0);
        exchange.response().end();
        assertEquals(1, AjpReply.drain(channel).reuse);
    }

    @Test
    void endsWithoutReuseWhenTheAppAnswersBeforeTheBodyArrived() {
        open(AjpOptions.DEFAULTS, 65536, Duration.ofSeconds(20));
        byte[] post = AjpRequestWriter.get("/ignore").method("POST").header("Content-Length", "20000").build();
        feed(join(post, body(new byte[8186])));
        assertEquals(List.of(8186), AjpReply.drain(channel).asks);
        held.get(0).response().error(413, null);
        AjpReply reply = AjpReply.drain(channel);
        assertEquals(413, reply.status);
        assertEquals(0, reply.reuse, "the core closes a connection whose request body was not all received");
        assertTrue(channel.isOpen(), "lingering: the body packet asked for is still on its way");
        feed(body(new byte[8186]));
        assertEquals("", outboundHex(), "dropped when it arrives");
        assertTrue(warnings().isEmpty());
    }

    @Test
    void keepsAnIdleConnectionOpenAcrossCpingsPastTheHeaderTimeout() {
        open(AjpOptions.DEFAULTS, 65536, Duration.ofMillis(200));
        for (int i = 0; i < 3; i++) {
            feed(AjpRequestWriter.cping());
            assertEquals("4142000109", outboundHex());
            waitPastTheHeaderTimeout();
            assertEquals("", outboundHex(), "no 408 for a connection that sent no request");
            feed(AjpRequestWriter.get("/hello").build());
            assertEquals(200, AjpReply.drain(channel).status);
        }
        byte[] partial = AjpRequestWriter.get("/hello").build();
        feed(java.util.Arrays.copyOf(partial, 10));
        waitPastTheHeaderTimeout();
        AjpReply timedOut = AjpReply.drain(channel);
        assertEquals(408, timedOut.status, "a started request still times out");
        assertEquals(0, timedOut.reuse);
        assertFalse(channel.isOpen());
    }

    /** Lets the 200 ms header timeout pass, in steps of 150 ms, running the timer's checks. */
    private void waitPastTheHeaderTimeout() {
        for (int i = 0; i < 5; i++) {
            listener.advance(150);
        }
    }
}
