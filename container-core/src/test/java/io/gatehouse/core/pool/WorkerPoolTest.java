package io.gatehouse.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.spi.exchange.Exchange;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkerPoolTest {
    @RegisterExtension
    final PoolFixture fixture = new PoolFixture();

    WorkerPool pool(FakeWorker.Factory factory, int workers, int queue, Duration harakiri, long maxRequests) {
        return fixture.start(factory, new PoolSettings("app", workers, queue, harakiri, maxRequests, 0,
                Duration.ofSeconds(5)));
    }

    LocalExchangeServer.Client send(String path) {
        return fixture.send(path);
    }

    @Test
    void dispatchesToTheLeastBusyReadyWorker() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(2);
        pool(f, 2, 10, Duration.ZERO, 0);
        send("/a");
        send("/b");
        Exchange first = f.made.get(0).take();
        Exchange second = f.made.get(1).take();
        assertNotSame(first, second);
    }

    @Test
    void queuesWhenEveryWorkerIsBusyAndServesInArrivalOrder() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = pool(f, 1, 10, Duration.ZERO, 0);
        LocalExchangeServer.Client a = send("/a");
        FakeWorker w = f.last();
        Exchange first = w.take();
        LocalExchangeServer.Client b = send("/b");
        LocalExchangeServer.Client c = send("/c");
        PoolFixture.awaitQueued(pool, 2);
        w.answer(first);
        assertEquals(200, a.answer().status());
        Exchange second = w.take();
        assertEquals("/b", second.environ().get("PATH_INFO"));
        w.answer(second);
        w.answer(w.take());
        assertEquals("worker 1", b.answer().text());
        assertEquals("worker 1", c.answer().text());
    }

    @Test
    void answers503WithRetryAfterWhenTheQueueIsFull() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = pool(f, 1, 1, Duration.ZERO, 0);
        send("/busy");
        f.last().take();
        send("/queued");
        PoolFixture.awaitQueued(pool, 1);
        Answer rejected = send("/rejected").answer();
        assertEquals(503, rejected.status());
        assertEquals("1", rejected.header("Retry-After"));
        assertEquals(1, pool.stats().rejected.sum());
    }

    @Test
    void queueOfZeroRejectsAsSoonAsEveryWorkerIsBusy() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        pool(f, 1, 0, Duration.ZERO, 0);
        send("/busy");
        f.last().take();
        assertEquals(503, send("/next").answer().status());
    }

    @Test
    void harakiriAnswers504EndsTheWorkerAndRespawnsIt() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        WorkerPool pool = pool(f, 1, 10, Duration.ofMillis(100), 0);
        LocalExchangeServer.Client c = send("/stuck");
        FakeWorker stuck = f.last();
        stuck.take();
        Thread.sleep(150);
        pool.tick();
        assertEquals(504, c.answer().status());
        assertTrue(stuck.calls.contains("harakiri"), stuck.calls.toString());
        assertEquals(2, f.made.size(), "a replacement is spawned");
        assertEquals(1, pool.stats().harakiris.sum());
        LocalExchangeServer.Client next = send("/next");
        f.last().answer(f.last().take());
        assertEquals("worker 1", next.answer().text());
    }

    @Test
    void exchangesLeftByADeadWorkerGet502AndTheWorkerIsReplaced() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(2);
        pool(f, 1, 10, Duration.ZERO, 0);
        LocalExchangeServer.Client a = send("/a");
        LocalExchangeServer.Client b = send("/b");
        FakeWorker w = f.last();
        w.take();
        w.take();
        w.events.exited(w, 137, "killed by signal 9");
        assertEquals(502, a.answer().status());
        assertEquals(502, b.answer().status());
        assertEquals(2, f.made.size());
    }

    @Test
    void exchangesADeadWorkerHeldUnstartedGoToItsReplacementInOrder() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(3);
        pool(f, 1, 10, Duration.ZERO, 0);
        LocalExchangeServer.Client a = send("/a");
        FakeWorker w = f.last();
        w.take();
        LocalExchangeServer.Client b = send("/b");
        w.hold(w.take());
        LocalExchangeServer.Client c = send("/c");
        w.hold(w.take());
        w.events.exited(w, 137, "killed by signal 9");
        assertEquals(502, a.answer().status(), "the one it ran fails");
        FakeWorker replacement = f.last();
        assertNotSame(w, replacement);
        Exchange first = replacement.take();
        Exchange second = replacement.take();
        assertEquals("/b", first.environ().get("PATH_INFO"));
        assertEquals("/c", second.environ().get("PATH_INFO"));
        replacement.answer(first);
        replacement.answer(second);
        assertEquals(200, b.answer().status());
        assertEquals(200, c.answer().status());
    }

    @Test
    void harakiriCountsAHeldExchangeFromWhenItStarts() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(2);
        WorkerPool pool = pool(f, 1, 10, Duration.ofMillis(300), 0);
        send("/a");
        FakeWorker w = f.last();
        Exchange running = w.take();
        LocalExchangeServer.Client b = send("/b");
        Exchange held = w.hold(w.take());
        Thread.sleep(200);
        w.answer(running);
        w.events.started(w, held);
        Thread.sleep(200);
        pool.tick();
        assertFalse(w.calls.contains("harakiri"), "400 ms since it was handed over, 200 since it started: " + w.calls);
        w.answer(held);
        assertEquals(200, b.answer().status());
    }

    @Test
    void maxRequestsRecyclesAWorkerAfterItsLastRequest() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        pool(f, 1, 10, Duration.ZERO, 2);
        FakeWorker first = f.last();
        for (int i = 0; i < 2; i++) {
            LocalExchangeServer.Client c = send("/" + i);
            first.answer(first.take());
            assertEquals(200, c.answer().status());
        }
        assertTrue(first.calls.contains("stop"), first.calls.toString());
        assertEquals(2, f.made.size());
        LocalExchangeServer.Client c = send("/after");
        f.last().answer(f.last().take());
        assertEquals(200, c.answer().status());
    }

    @Test
    void anAppThatCannotBootIsAnswered503AndRespawnsWithBackoff() throws Exception {
        FakeWorker.Factory f = new FakeWorker.Factory(1);
        f.failBoot = true;
        WorkerPool pool = pool(f, 1, 10, Duration.ZERO, 0);
        assertEquals(503, send("/").answer().status());
        long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < end) {
            pool.tick();
            Thread.sleep(20);
        }
        // attempts at 0 s, then after 1 s and 2 s more backoff: 3 in 3.5 s, never a tight loop
        assertEquals(3, f.made.size());
        f.failBoot = false;
        Thread.sleep(4100);
        pool.tick();
        LocalExchangeServer.Client c = send("/");
        f.last().answer(f.last().take());
        assertEquals(200, c.answer().status());
    }
}
