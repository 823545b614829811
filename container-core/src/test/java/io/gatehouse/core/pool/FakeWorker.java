package io.gatehouse.core.pool;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A worker the test drives by hand: it holds exchanges until told to answer them, and boots or fails on demand. */
final class FakeWorker implements Worker {
    /** Every worker made by a factory, in creation order. */
    static final class Factory implements WorkerFactory {
        final List<FakeWorker> made = new CopyOnWriteArrayList<>();
        final int capacity;
        volatile boolean failBoot;
        /** Workers wait for {@link FakeWorker#boot} before they report ready. */
        volatile boolean holdBoot;

        Factory(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public Worker create(int id, WorkerEvents events) {
            FakeWorker w = new FakeWorker(id, capacity, events, failBoot);
            w.holdBoot = holdBoot;
            made.add(w);
            return w;
        }

        FakeWorker last() {
            return made.get(made.size() - 1);
        }

        /** Workers made and not yet asked to stop or killed. */
        long live() {
            return made.stream().filter(w -> !w.calls.contains("stop") && !w.calls.contains("kill")).count();
        }
    }

    final int id;
    final int capacity;
    final WorkerEvents events;
    final boolean failBoot;
    final BlockingQueue<Exchange> running = new LinkedBlockingQueue<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Exchanges handed to it that it has not begun (held behind another, as with prefetch). */
    volatile boolean holdBoot;
    volatile long rss = -1;

    FakeWorker(int id, int capacity, WorkerEvents events, boolean failBoot) {
        this.id = id;
        this.capacity = capacity;
        this.events = events;
        this.failBoot = failBoot;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void start() {
        calls.add("start");
        if (failBoot) {
            events.exited(this, BOOT_FAILED, "ImportError: no module named app");
        } else if (!holdBoot) {
            events.ready(this);
        }
    }

    /** Reports ready now (for a factory that holds boots). */
    void boot() {
        events.ready(this);
    }

    /** Reports a failed start now (for a factory that holds boots). */
    void failBoot(String detail) {
        events.exited(this, BOOT_FAILED, detail);
    }

    /** Reports {@code exchange} held behind the others it runs, as a worker with its own backlog does. */
    Exchange hold(Exchange exchange) {
        events.held(this, exchange);
        return exchange;
    }

    @Override
    public long rssBytes() {
        return rss;
    }

    @Override
    public void handle(Exchange exchange) {
        running.add(exchange);
    }

    @Override
    public void stop() {
        calls.add("stop");
        events.exited(this, 0, "stopped");
    }

    @Override
    public void kill() {
        calls.add("kill");
        events.exited(this, 137, "killed");
    }

    @Override
    public void harakiri(Exchange overdue) {
        calls.add("harakiri");
        kill();
    }

    /** The next exchange handed to this worker (waits up to 5 s). */
    Exchange take() throws InterruptedException {
        Exchange e = running.poll(5, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("worker " + id + " got no exchange");
        }
        return e;
    }

    /** Answers {@code e} with 200 and the worker's id, and reports it finished. */
    void answer(Exchange e) {
        String body = "worker " + id;
        e.response().head(200, null, new Headers(), body.length());
        e.response().chunk(Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII), false);
        e.response().end();
        events.finished(this, e);
    }

    List<Exchange> drain() {
        List<Exchange> out = new ArrayList<>();
        running.drainTo(out);
        return out;
    }
}
