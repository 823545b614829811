package io.gatehouse.protocol.ajp;

import static io.gatehouse.protocol.ajp.AjpRequestWriter.body;
import static io.gatehouse.protocol.ajp.AjpRequestWriter.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AJP codec inside a listener's real pipeline (head timer, codec, exchange handler), asserting raw bytes. */
class AjpListenerTest {
    private static final Logger CORE_LOG = Logger.getLogger(ExchangeHandler.class.getName());

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<Exchange> held = new ArrayList<>();
    private EmbeddedChannel channel;

    /** Answers /hello at once; holds any other exchange for the test to drive. */
    private final Routing app = exchange -> {
        if (exchange.environ().get("PATH_INFO").equals("/hello")) {
            byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.response().head(200, null, Headers.of("Content-Type", "text/plain"), text.length);
            exchange.response().chunk(Unpooled.wrappedBuffer(text), false);
            exchange.response().end();
        } else {
            held.add(exchange);
        }
    };

    @BeforeEach
    void listenForWarnings() {
        CORE_LOG.addHandler(capture);
    }

    @AfterEach
    void finish() {
        CORE_LOG.removeHandler(capture);
        AjpReply.drain(channel);
        channel.finishAndReleaseAll();
    }

    private void open(AjpOptions options, int bodyBuffer, Duration headerTimeout) {
        ListenerContext context = new ListenerContext("ajp-test", "ajp", false, bodyBuffer, headerTimeout,
                Duration.ZERO, () -> app, ExchangeLog.NONE, () -> false);
        channel = new EmbeddedChannel(false, false);
        HeadTimer timer = new HeadTimer(headerTimeout, Duration.ZERO);
        channel.pipeline().addLast("head-timer", timer);
        new AjpProtocol().initChannel(channel.pipeline(), options);
        channel.pipeline().addLast("exchange", new ExchangeHandler(context, timer));
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void feed(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private String outboundHex() {
        return HexFormat.of().formatHex(AjpReply.outbound(channel));
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
        assertTrue(warnings.isEmpty());
    }

    @Test
    void refusesARequestWithoutTheSecretWith403ThenClosesWithOneLogLine() {
        open(AjpTestChannels.withSecret("s3cret"), 65536, Duration.ofSeconds(20));
        feed(join(AjpRequestWriter.get("/hello").build(), AjpRequestWriter.get("/hello").secret("s3cret").build()));
        AjpReply reply = AjpReply.parse(AjpReply.outbound(channel));
        assertEquals(403, reply.status);
        assertEquals("403 Forbidden\n", reply.bodyText());
        assertEquals(0, reply.reuse, "the web server must not reuse the connection");
        assertFalse(channel.isOpen(), "a request without a body closes at once");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).getMessage().contains("403 Forbidden: forward request without the secret"),
                warnings.get(0).getMessage());
    }

    @Test
    void closesOnABrokenPacketWithOneLogLineAndNoAnswer() {
        open(AjpOptions.DEFAULTS, 65536, Duration.ofSeconds(20));
        feed("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("", outboundHex());
        assertFalse(channel.isOpen());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).getMessage().contains("bad packet magic 0x4745"));
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
        assertTrue(warnings.isEmpty());
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

    /** Lets the 200 ms header timeout pass in real time and runs the timer's checks. */
    private void waitPastTheHeaderTimeout() {
        for (int i = 0; i < 5; i++) {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            channel.runScheduledPendingTasks();
        }
    }
}
