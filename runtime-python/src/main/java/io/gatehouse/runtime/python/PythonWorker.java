package io.gatehouse.runtime.python;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A CPython worker process forked by the app's fork server, serving through one connection (lane) per thread, or
 * for an ASGI app, {@code concurrency} lanes served by its event loop (as its HELLOs say; harakiri then cancels the
 * overdue task, and kills the worker only if its loop is blocked). It is ready once every lane has said HELLO, and
 * exited once the fork server has reported its exit code and every connection it opened has closed, so nothing it
 * sent is lost to the pool's accounting. Kill is SIGKILL by pid.
 * Its {@link PythonWorkerState} decides each step of its life; this class carries the steps out.
 */
final class PythonWorker implements Worker {
    private static final Logger LOG = Logger.getLogger(PythonWorker.class.getName());
    /** How long a dead worker's connections may stay open (held by a child it forked) before they are closed. */
    private static final long LINGER_MILLIS = 2000;

    private final PythonWorkerFactory factory;
    private final int id;
    private final WorkerEvents events;
    private final String token;
    /** Exchanges each lane holds at most: the running one and those held behind it. */
    private final int depth;
    private final PythonLanes lanes = new PythonLanes();
    /** Exchanges its lanes hold behind the ones they run (sent ahead or not): the worker has not started them. */
    private final Set<Exchange> held = ConcurrentHashMap.newKeySet();
    /** Guarded by this worker. */
    private final PythonWorkerState state;
    private final PythonWorkerDirect direct = new PythonWorkerDirect(this);
    private ScheduledFuture<?> bootTimer;
    private PythonHeartbeat heartbeat;

    PythonWorker(PythonWorkerFactory factory, int id, WorkerEvents events, String token) {
        this.factory = factory;
        this.id = id;
        this.events = events;
        this.token = token;
        this.depth = 1 + factory.launch().options().prefetch();
        this.state = new PythonWorkerState();
    }

    String token() {
        return token;
    }

    String describe() {
        long p = state.pid();
        return "app '" + factory.app().name() + "' worker " + id + (p > 0 ? " (pid " + p + ")" : "");
    }

    @Override
    public int id() {
        return id;
    }

    /** Whether its process runs as another user than the master (the app's {@code user:}). */
    boolean runsAsAnotherUser() {
        return factory.runsAsAnotherUser();
    }

    @Override
    public long pid() {
        return state.pid();
    }

    @Override
    public int capacity() {
        return lanes.onLoop() ? factory.launch().options().asgiConcurrency() : factory.app().threads() * depth;
    }

    /** True if its lanes are served by an event loop (an ASGI app), as their HELLOs said. */
    boolean onLoop() {
        return lanes.onLoop();
    }

    @Override
    public void start() {
        long timeout = factory.launch().bootTimeout().toMillis();
        synchronized (this) {
            bootTimer = factory.timers().schedule(this::bootTimedOut, timeout, TimeUnit.MILLISECONDS);
        }
        factory.spawn(this);
    }

    @Override
    public void handle(Exchange exchange) {
        PythonLane free = lanes.claim(depth, exchange.eventLoop());
        if (free == null) {
            // A lane closed under us: the process died and its exit report is on its way, when the pool answers
            // the exchange 502 with the others it ran. Answering now would free the capacity, and a dead worker
            // with nothing running would draw every new request until that report.
            return;
        }
        free.handle(exchange);
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (!state.stop()) {
                return;
            }
        }
        direct.release();
        if (state.pid() < 0 && factory.cancel(this)) {
            report(0, "stopped before it started");
            return;
        }
        lanes.idle().forEach(PythonLane::stop);
    }

    /**
     * An ASGI worker's overdue task is cancelled, the worker killed only if its loop does not answer within
     * harakiri-grace; a WSGI worker is killed at once (its thread cannot be stopped).
     */
    @Override
    public void harakiri(Exchange overdue) {
        if (!lanes.onLoop()) {
            kill();
            return;
        }
        long grace = factory.launch().options().harakiriGrace().toMillis();
        for (PythonLane lane : lanes.all()) {
            lane.harakiri(overdue, grace);
        }
    }

    @Override
    public void kill() {
        boolean retiring;
        synchronized (this) {
            retiring = state.retiring();
            if (!state.kill()) {
                return;
            }
        }
        direct.release();
        if (retiring) {
            // past reload-mercy: its WebSockets get 1012 (service restart), not the 1011 of a worker that died
            lanes.all().forEach(PythonLane::restart);
        }
        long p = state.pid();
        if (p > 0) {
            signalKill(p);
        } else if (factory.cancel(this)) {
            report(137, "killed before it started");
        }
    }

    /** Resident memory from /proc/PID/status (VmRSS, in kB whatever the page size), or -1. */
    @Override
    public long rssBytes() {
        long p = state.pid();
        try (Stream<String> lines = p > 0 ? Files.lines(Path.of("/proc", Long.toString(p), "status")) : Stream.of()) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.substring(6).replace("kB", "").trim()) * 1024).orElse(-1L);
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void signalKill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The fork server forked it. */
    void forked(long forkedPid) {
        boolean kill;
        synchronized (this) {
            kill = state.forked(forkedPid);
        }
        if (kill) {
            signalKill(forkedPid);
        }
    }

    /** A connection said HELLO: a serving lane, or a boot-failure report ({@code serving} false). */
    void attach(PythonLane lane, long helloPid) {
        boolean stop = false;
        boolean nowReady = false;
        boolean mixed = false;
        boolean takes = false;
        synchronized (this) {
            if (!state.connected(helloPid)) {
                lane.channel().close();
                return;
            }
            if (lane.serving()) {
                int count = lanes.add(lane);
                mixed = count < 0;
                if (!mixed) {
                    stop = state.leaving();
                    nowReady = state.laneJoined(count, expectedLanes());
                }
                if (nowReady) {
                    cancelBootTimer();
                    heartbeat = PythonHeartbeat.start(this, lanes, factory.timers(),
                            factory.launch().options().heartbeat().toMillis());
                    takes = !lanes.onLoop() && direct.start(factory.app().harakiri(), factory.timers());
                }
            }
        }
        if (mixed) {
            LOG.warning(describe() + " opened lanes of two kinds (threads and an event loop); killing it");
            lane.channel().close();
            kill();
        } else if (stop) {
            lane.stop();
        }
        if (nowReady) {
            factory.workerReady(lanes.onLoop());
            if (takes) {
                direct.taken();
            }
            events.ready(this);
        }
    }

    /** The lanes it opens: its concurrency when served by an event loop, else its threads. */
    private int expectedLanes() {
        return lanes.onLoop() ? factory.launch().options().asgiConcurrency() : factory.app().threads();
    }

    /** The worker could not load the app; it exits with {@link #BOOT_FAILED} next. */
    void bootFailed(String traceback) {
        synchronized (this) {
            state.bootFailed(traceback);
        }
        factory.bootFailed(traceback);
    }

    /** A lane finished an exchange (or answered it without the worker) and has room for another. */
    void callEnded(PythonLane lane, Exchange exchange) {
        boolean stop;
        held.remove(exchange);
        synchronized (this) {
            stop = lanes.release(lane) && state.leaving();
        }
        if (stop) {
            lane.stop();
        }
        events.finished(this, exchange);
    }

    /** A lane holds {@code exchange} behind the one it runs: its harakiri clock waits until it starts. */
    void held(Exchange exchange) {
        held.add(exchange);
        events.held(this, exchange);
    }

    /** An exchange a lane took starts: it is the one the lane runs now. */
    void starts(Exchange exchange) {
        if (held.remove(exchange)) {
            events.started(this, exchange);
        }
    }

    /**
     * A connection closed. Unless the worker was told to go, it died or is broken: it is killed to be sure, and
     * its exit code (from the fork server) tells which.
     */
    void connectionClosed(PythonLane lane) {
        boolean unexpected;
        synchronized (this) {
            unexpected = state.disconnected(lane.serving() && lanes.remove(lane));
        }
        if (unexpected) {
            LOG.fine(() -> describe() + " closed a connection to the master; killing it");
            kill();
        }
        reportIfGone();
    }

    /** The fork server reaped it; {@code code} is its exit status, or minus the signal that killed it. */
    void processExited(int code) {
        synchronized (this) {
            if (state.exited(code)) {
                List<PythonLane> open = lanes.all();
                factory.timers().schedule(() -> open.forEach(l -> l.channel().close()), LINGER_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }
        reportIfGone();
    }

    /** Its fork server died, so no exit code will come: it is stopped, and reported once its connections close. */
    void parentGone() {
        synchronized (this) {
            state.orphaned();
        }
        if (lanes.isEmpty()) {
            kill(); // still booting
        } else {
            stop();
        }
        reportIfGone();
    }

    /** It was never forked (the fork server failed first, or could not start). */
    void failedToStart(int status, String detail) {
        report(status, detail);
    }

    private void bootTimedOut() {
        synchronized (this) {
            if (!state.bootTimedOut("it did not load the app within boot-timeout "
                    + factory.launch().bootTimeout().toSeconds() + " s")) {
                return;
            }
        }
        kill();
    }

    private void reportIfGone() {
        PythonExitStatus exit;
        synchronized (this) {
            exit = state.over();
        }
        if (exit != null) {
            String oom = exit.status() == 128 + 9 ? factory.oomKilled() : null; // SIGKILL
            report(exit.status(), oom == null ? exit.detail() : exit.detail() + " " + oom);
        }
    }

    private void report(int status, String detail) {
        synchronized (this) {
            if (!state.report()) {
                return;
            }
            cancelBootTimer();
            if (heartbeat != null) {
                heartbeat.cancel();
            }
        }
        direct.release();
        direct.delete();
        factory.forget(this);
        events.exited(this, status, detail);
    }

    private void cancelBootTimer() {
        if (bootTimer != null) {
            bootTimer.cancel(false);
        }
    }

    @Override
    public long servedAlone() {
        return direct.served();
    }

    /** Its part in the fork server's direct path. */
    PythonWorkerDirect direct() {
        return direct;
    }

    /** True while it serves: loaded, not told to go, not gone (the heartbeat watches only then). */
    synchronized boolean serving() {
        return state.serving();
    }

    /** A lane answered PING. */
    void pong(PythonLane lane) {
        lanes.pong(lane);
    }

    /** Found wedged but not killed (it ended a request at harakiri itself): that is its exit's cause if it goes. */
    void wedged(String why) {
        synchronized (this) {
            state.wedged(why);
        }
    }

    /** Found wedged (a missed heartbeat, a blocked event loop): {@code why} is logged, and it is killed. */
    void killAsWedged(String why) {
        LOG.warning(describe() + " " + why + "; killing it");
        wedged(why);
        kill();
    }
}
