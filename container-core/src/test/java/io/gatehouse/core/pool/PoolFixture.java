package io.gatehouse.core.pool;

import io.gatehouse.core.router.Dispatcher;
import io.gatehouse.core.router.Router;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.Exchange;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One pool test's local exchange server, closed after the test: a pool of {@link FakeWorker}s mounted at "/"
 * ({@link #start}), or, for the tests of the pool's parts, a mount that keeps every exchange it gets
 * ({@link #exchange}) and slots filled by hand ({@link #ready}). Register it with {@code @RegisterExtension}.
 */
final class PoolFixture implements AfterEachCallback {
    private final BlockingQueue<Exchange> kept = new LinkedBlockingQueue<>();
    private final Map<Exchange, LocalExchangeServer.Client> clients = new IdentityHashMap<>();
    private LocalExchangeServer server;

    /** Settings for {@code workers} workers: a queue of 10, no harakiri, max-requests or reload-on-rss. */
    static PoolSettings settings(int workers) {
        return new PoolSettings("app", workers, 10, Duration.ZERO, 0, 0, Duration.ofSeconds(5));
    }

    /** Starts a pool of {@code factory}'s workers with {@code settings}, mounted at "/". */
    WorkerPool start(FakeWorker.Factory factory, PoolSettings settings) {
        WorkerPool pool = new WorkerPool(settings, factory);
        pool.start();
        mount(pool);
        return pool;
    }

    /** Sends GET {@code path} to the pool on a new connection. */
    LocalExchangeServer.Client send(String path) {
        return server.connect().send(Requests.get(path));
    }

    /** Waits up to 5 s until {@code pool} has {@code n} exchanges queued. */
    static void awaitQueued(WorkerPool pool, int n) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (pool.queued() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError("queue never reached " + n);
            }
            Thread.sleep(5);
        }
    }

    /** Adds to {@code slots} the slot of a fake worker {@code id} of {@code g}, with room for two, starting since 0. */
    static WorkerSlot starting(Slots slots, int id, Generation g) {
        WorkerSlot s = new WorkerSlot(new FakeWorker(id, 2, null, false), g, 0);
        slots.add(s);
        return s;
    }

    /** Adds to {@code slots} the slot of a fake worker {@code id} of {@code g}, with room for two, ready since 0. */
    static WorkerSlot ready(Slots slots, int id, Generation g) {
        WorkerSlot s = starting(slots, id, g);
        s.becomeReady(0);
        return s;
    }

    /** A real exchange for GET {@code path}, kept unanswered for the test to hand around. */
    Exchange exchange(String path) throws InterruptedException {
        if (server == null) {
            mount(new Dispatcher() {
                @Override
                public String appName() {
                    return "app";
                }

                @Override
                public void dispatch(Exchange exchange) {
                    kept.add(exchange);
                }
            });
        }
        LocalExchangeServer.Client client = send(path);
        Exchange e = kept.poll(5, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no exchange for " + path);
        }
        clients.put(e, client);
        return e;
    }

    /** What the client of an {@link #exchange} got. */
    Answer answer(Exchange exchange) {
        return clients.get(exchange).answer();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    private void mount(Dispatcher dispatcher) {
        server = new LocalExchangeServer(Router.builder().mount(List.of(), "/", dispatcher).build());
    }
}
