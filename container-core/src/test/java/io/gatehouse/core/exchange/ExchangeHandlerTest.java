package io.gatehouse.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.RequestAbort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExchangeHandlerTest {
    final ScheduledExecutorService workers = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    static void answer(Exchange e, String text) {
        e.response().head(200, null, new Headers(), text.length());
        e.response().chunk(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1), false);
        e.response().end();
    }

    @Test
    void answersPipelinedRequestsInArrivalOrder() {
        // the first request is answered last by the app, yet reaches the client first
        Routing slowFirst = e -> {
            String path = e.environ().get("PATH_INFO");
            long delay = path.equals("/1") ? 200 : 0;
            workers.schedule(() -> answer(e, path), delay, TimeUnit.MILLISECONDS);
        };
        try (LocalExchangeServer server = new LocalExchangeServer(slowFirst)) {
            LocalExchangeServer.Client c = server.connect().send(Requests.get("/1"), Requests.get("/2"),
                    Requests.get("/3"));
            assertEquals("/1", c.answer().text());
            assertEquals("/2", c.answer().text());
            assertEquals("/3", c.answer().text());
        }
    }

    @Test
    void stopsReadingPipelinedRequestsPastTheLimitUntilAnswersGoOut() throws Exception {
        java.util.concurrent.BlockingQueue<Exchange> held = new java.util.concurrent.LinkedBlockingQueue<>();
        try (LocalExchangeServer server = new LocalExchangeServer(held::add)) {
            LocalExchangeServer.Client c = server.connect();
            for (int i = 0; i <= ExchangeHandler.MAX_PIPELINED; i++) {
                c.send(Requests.get("/" + i));
            }
            Exchange first = held.poll(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            io.netty.channel.Channel conn = ((ChannelExchange) first).channel();
            assertFalse(conn.config().isAutoRead(), "reading paused with " + ExchangeHandler.MAX_PIPELINED
                    + " requests queued behind the first");
            answer(first, "0");
            assertEquals("0", c.answer().text());
            Exchange second = held.poll(5, TimeUnit.SECONDS);
            conn.eventLoop().submit(() -> { }).get();
            assertTrue(conn.config().isAutoRead(), "reading resumed once the queue shrank");
            answer(second, "1");
            assertEquals("1", c.answer().text());
        }
    }

    @Test
    void answersAFailedHeadWithItsStatusThenCloses() {
        try (LocalExchangeServer server = new LocalExchangeServer(e -> answer(e, "unreachable"))) {
            EnvironHead bad = EnvironHead.failed(new Environ(), 0,
                    new ProtocolException(Fault.HEADERS_TOO_LARGE, "header block exceeds max-header-size 8192"));
            LocalExchangeServer.Client c = server.connect().send(bad);
            Answer a = c.answer();
            assertEquals(431, a.status());
            assertEquals("close", a.header("Connection"));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void deliversBodyChunksToTheirExchange() {
        Routing echo = e -> workers.execute(() -> {
            StringBuilder sb = new StringBuilder();
            try {
                for (ByteBuf b; (b = e.body().take(TimeUnit.SECONDS.toNanos(5))) != null; ) {
                    sb.append(b.toString(StandardCharsets.US_ASCII));
                    b.release();
                }
            } catch (IOException ex) {
                sb.append("error");
            }
            answer(e, sb.toString());
        });
        try (LocalExchangeServer server = new LocalExchangeServer(echo)) {
            LocalExchangeServer.Client c = server.connect().send(
                    Requests.head("POST", "/a", 6), body("abc", false), body("def", true),
                    Requests.head("POST", "/b", -1), body("ghi", false), body("", true));
            assertEquals("abcdef", c.answer().text());
            assertEquals("ghi", c.answer().text());
        }
    }

    @Test
    void dropsWritesAfterTheEndAndReleasesTheirBuffers() {
        CompletableFuture<Boolean> lateWrite = new CompletableFuture<>();
        ByteBuf late = Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII);
        Routing app = e -> {
            answer(e, "done");
            lateWrite.complete(e.response().chunk(late, true));
        };
        try (LocalExchangeServer server = new LocalExchangeServer(app)) {
            assertEquals("done", server.connect().send(Requests.get("/")).answer().text());
            assertFalse(lateWrite.join());
            assertEquals(0, late.refCnt());
        }
    }

    @Test
    void anErrorBeforeTheHeadIsAStatusAndAfterItAnAbort() {
        Routing app = e -> {
            if (e.environ().get("PATH_INFO").equals("/late")) {
                e.response().head(200, null, new Headers(), -1);
                e.response().chunk(Unpooled.copiedBuffer("partial", StandardCharsets.US_ASCII), true);
            }
            e.response().error(500, null);
        };
        try (LocalExchangeServer server = new LocalExchangeServer(app)) {
            assertEquals(500, server.connect().send(Requests.get("/early")).answer().status());
            Answer cut = server.connect().send(Requests.get("/late")).answer();
            assertEquals(200, cut.status());
            assertEquals("partial", cut.text());
            assertEquals(Answer.Ending.CLOSED, cut.ending());
        }
    }

    @Test
    void anAnswerBeforeTheWholeBodyArrivedClosesTheConnection() {
        try (LocalExchangeServer server = new LocalExchangeServer(e -> answer(e, "early"))) {
            LocalExchangeServer.Client c = server.connect().send(Requests.head("POST", "/", 1_000_000),
                    body("first bytes", false));
            Answer a = c.answer();
            assertEquals("early", a.text());
            assertTrue(a.head().close(), "the client is told the connection closes");
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void anAbortedStreamEndsItsExchangeAloneWhileTheOthersCarryOn() throws Exception {
        CompletableFuture<String> aborted = new CompletableFuture<>();
        Routing app = e -> {
            if (e.head().streamId() == 2) {
                answer(e, "other");
                return;
            }
            workers.execute(() -> {
                try {
                    e.body().take(TimeUnit.SECONDS.toNanos(5));
                    aborted.complete("data");
                } catch (IOException ex) {
                    aborted.complete(ex.getMessage() + ", gone=" + e.clientGone());
                }
            });
        };
        try (LocalExchangeServer server = new LocalExchangeServer(app, true, Duration.ZERO, Duration.ZERO, 65536,
                ExchangeLog.NONE)) {
            LocalExchangeServer.Client c = server.connect().send(new EnvironHead(Requests.environ("POST", "/1"), 1,
                    100, true), new RequestAbort(1), new EnvironHead(Requests.environ("GET", "/2"), 2, 0, true));
            assertEquals("client closed the connection, gone=true", aborted.get(5, TimeUnit.SECONDS));
            Answer other = c.answer();
            assertEquals(2, other.head().streamId());
            assertEquals("other", other.text());
            assertFalse(c.closed(), "the connection carries on");
        }
    }

    @Test
    void releasesTheUnreadChunksOfACompleteBodyWhenTheAppAnswersWithoutReading() {
        ByteBuf data = Unpooled.copiedBuffer("never read", StandardCharsets.US_ASCII);
        Routing app = e -> workers.execute(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!e.body().complete() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the whole body is in, unread, when the app answers
            }
            answer(e, "early");
        });
        try (LocalExchangeServer server = new LocalExchangeServer(app)) {
            LocalExchangeServer.Client c = server.connect().send(Requests.head("POST", "/", data.readableBytes()),
                    new LastBodyChunk(data, 0));
            assertEquals("early", c.answer().text());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (data.refCnt() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, data.refCnt(), "the buffered chunk is released with its exchange");
        }
    }

    @Test
    void aClientThatLeavesFailsTheBodyReadOfItsExchange() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Routing app = e -> workers.execute(() -> {
            try {
                e.body().take(TimeUnit.SECONDS.toNanos(5));
                outcome.complete("data");
            } catch (IOException ex) {
                outcome.complete(ex.getMessage());
            }
        });
        try (LocalExchangeServer server = new LocalExchangeServer(app)) {
            LocalExchangeServer.Client c = server.connect().send(Requests.head("POST", "/", 100));
            Thread.sleep(100);
            c.close();
            assertEquals("client closed the connection", outcome.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClientThatLeavesIsToldToWhoAskedAtOnceOrLater() throws Exception {
        CompletableFuture<Exchange> held = new CompletableFuture<>();
        CompletableFuture<Boolean> told = new CompletableFuture<>();
        Routing app = e -> {
            e.whenClientGone(() -> told.complete(e.clientGone()));
            held.complete(e);
        };
        try (LocalExchangeServer server = new LocalExchangeServer(app)) {
            LocalExchangeServer.Client c = server.connect().send(Requests.get("/long-poll"));
            Exchange e = held.get(5, TimeUnit.SECONDS);
            assertFalse(told.isDone());
            c.close();
            assertTrue(told.get(5, TimeUnit.SECONDS), "told once the client is gone");
            CompletableFuture<Boolean> late = new CompletableFuture<>();
            e.whenClientGone(() -> late.complete(true));
            assertTrue(late.get(5, TimeUnit.SECONDS), "asked after it left: told at once");
        }
    }

    @Test
    void aClientThatLeavesAfterItsAnswerIsNotToldAbout() throws Exception {
        AtomicBoolean told = new AtomicBoolean();
        CompletableFuture<Exchange> answered = new CompletableFuture<>();
        Routing app = e -> {
            e.whenClientGone(() -> told.set(true));
            answer(e, "done");
            answered.complete(e);
        };
        try (LocalExchangeServer server = new LocalExchangeServer(app)) {
            LocalExchangeServer.Client c = server.connect().send(Requests.get("/"));
            assertEquals("done", c.answer().text());
            c.close();
            Exchange e = answered.get(5, TimeUnit.SECONDS);
            ((ChannelExchange) e).channel().closeFuture().await(5, TimeUnit.SECONDS);
            e.whenClientGone(() -> told.set(true));
            assertFalse(told.get(), "the exchange was over before the client left");
        }
    }

    @Test
    void drainingClosesAfterTheResponseInFlight() {
        CompletableFuture<Exchange> held = new CompletableFuture<>();
        try (LocalExchangeServer server = new LocalExchangeServer(held::complete)) {
            LocalExchangeServer.Client busy = server.connect().send(Requests.get("/"));
            Exchange e = held.join();
            server.drain();
            answer(e, "last");
            Answer a = busy.answer();
            assertEquals("last", a.text());
            assertTrue(a.head().close(), "the response announces the close");
            assertTrue(busy.awaitClosed());
        }
    }

    @Test
    void aHeadThatNeverArrivesIsAnswered408() {
        try (LocalExchangeServer server = new LocalExchangeServer(e -> answer(e, "x"), false,
                Duration.ofMillis(100), Duration.ZERO, 65536, ExchangeLog.NONE)) {
            LocalExchangeServer.Client c = server.connect();
            assertEquals(408, c.answer().status());
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void anIdleKeptAliveConnectionClosesQuietly() {
        try (LocalExchangeServer server = new LocalExchangeServer(e -> answer(e, "x"), false,
                Duration.ofSeconds(10), Duration.ofMillis(100), 65536, ExchangeLog.NONE)) {
            LocalExchangeServer.Client c = server.connect().send(Requests.get("/"));
            assertEquals(200, c.answer().status());
            assertEquals(LocalExchangeServer.Client.CLOSED, c.next());
        }
    }

    static BodyChunk body(String text, boolean last) {
        ByteBuf data = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        return last ? new LastBodyChunk(data, 0) : new BodyChunk(data, 0);
    }
}
