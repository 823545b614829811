package io.gatehouse.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writes from a worker thread are handed to the loop in batches; while the loop lags, several batches are on their
 * way at once, and each must take only its own bytes off the hand-over count, or the count drifts and a writer
 * waits for a writability that never comes.
 */
class ResponseHandoverTest {
    private static final int CHUNK = 32 * 1024;

    @Test
    void batchesInFlightTogetherLeaveTheResponseWritable() throws Exception {
        CountDownLatch phase1 = new CountDownLatch(1);
        CountDownLatch phase2 = new CountDownLatch(1);
        CompletableFuture<Exchange> streaming = new CompletableFuture<>();
        CompletableFuture<Boolean> writableAfter = new CompletableFuture<>();
        Routing app = e -> {
            if (e.head().streamId() == 1) {
                streaming.complete(e);
                new Thread(() -> {
                    Response r = e.response();
                    r.head(200, null, new Headers(), -1);
                    chunks(r, 4); // the loop is held below: four batches wait for it together
                    phase1.countDown();
                }).start();
                await(phase1); // holds the loop until the worker has handed over its batches
            } else {
                new Thread(() -> {
                    Response r = streaming.join().response();
                    chunks(r, 2);
                    phase2.countDown();
                }).start();
                await(phase2); // holds the loop again while two more batches wait
            }
        };
        try (LocalExchangeServer server = new LocalExchangeServer(app, true, Duration.ZERO, Duration.ZERO, 65536,
                ExchangeLog.NONE)) {
            LocalExchangeServer.Client c = server.connect().send(new EnvironHead(Requests.environ("GET", "/s"), 1, 0,
                    true));
            phase1.await(5, TimeUnit.SECONDS);
            c.send(new EnvironHead(Requests.environ("GET", "/t"), 2, 0, true));
            phase2.await(5, TimeUnit.SECONDS);
            Response r = streaming.get(5, TimeUnit.SECONDS).response();
            new Thread(() -> {
                try {
                    writableAfter.complete(r.awaitWritable(TimeUnit.SECONDS.toNanos(5)));
                } catch (InterruptedException e) {
                    writableAfter.complete(false);
                }
                r.end();
            }).start();
            assertTrue(writableAfter.get(10, TimeUnit.SECONDS), "every batch was written, so the writer may go on");
            Answer a = c.answer();
            assertEquals(6 * CHUNK, a.text().length());
        }
    }

    private static void chunks(Response r, int n) {
        for (int i = 0; i < n; i++) {
            r.chunk(Unpooled.wrappedBuffer(new byte[CHUNK]), true);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
