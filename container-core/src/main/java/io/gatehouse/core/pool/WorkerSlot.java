package io.gatehouse.core.pool;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One live worker of a pool: its generation, its state and the exchanges it runs. Guarded by the pool; only the
 * pool (its supervisor and its {@link Slots}) calls its transitions, the checks and the rollout read.
 */
final class WorkerSlot {
    enum State { STARTING, READY, STOPPING }

    /** The start time recorded for an exchange its worker holds behind others and has not started. */
    static final long HELD = Long.MIN_VALUE;

    final Worker worker;
    final Generation generation;
    final long spawnedNanos;
    private State state = State.STARTING;
    /** Exchanges handed to the worker with the time (nanoTime) each started, or {@link #HELD}, in the order handed. */
    private final Map<Exchange, Long> running = new LinkedHashMap<>();
    /** Exchanges already answered by harakiri, so the check does not fire twice. */
    private final Map<Exchange, Boolean> overdue = new IdentityHashMap<>();
    private long served;
    private long busyNanos;
    private long idleSinceNanos;
    private long stopRequestedNanos;
    private long rssBytes = -1;
    /** Takes no new exchanges; stops once its running ones are done. */
    private boolean retiring;
    /** Killed for not becoming ready within boot-timeout. */
    private boolean bootTimedOut;

    WorkerSlot(Worker worker, Generation generation, long now) {
        this.worker = worker;
        this.generation = generation;
        this.spawnedNanos = now;
        this.idleSinceNanos = now;
    }

    int id() {
        return worker.id();
    }

    /** "worker 3 (pid 4711)", for log lines. */
    String name() {
        return "worker " + worker.id() + (worker.pid() > 0 ? " (pid " + worker.pid() + ")" : "");
    }

    boolean starting() {
        return state == State.STARTING;
    }

    /** Ready, retiring or not. */
    boolean ready() {
        return state == State.READY;
    }

    boolean stopping() {
        return state == State.STOPPING;
    }

    boolean retiring() {
        return retiring;
    }

    /** Starting or ready and not on its way out: it counts towards the pool's target. */
    boolean serving() {
        return state != State.STOPPING && !retiring;
    }

    /** Ready and not on its way out: it takes new exchanges while it has room. */
    boolean accepting() {
        return state == State.READY && !retiring;
    }

    /** Room for more exchanges; 0 unless accepting. */
    int free() {
        return accepting() ? worker.capacity() - running.size() : 0;
    }

    int busy() {
        return running.size();
    }

    boolean idle() {
        return running.isEmpty();
    }

    /**
     * Idle, or running only accepted WebSockets, which never end on their own: a worker to retire is then stopped
     * (its reload-mercy starts), so that its sockets are closed with 1012 once mercy runs out, not held forever.
     */
    boolean settled() {
        for (Exchange e : running.keySet()) {
            if (e.websocket() == null || !e.websocket().accepted()) {
                return false;
            }
        }
        return true;
    }

    /** Exchanges it served, and requests it served alone (the direct path). */
    long served() {
        return served + worker.servedAlone();
    }

    long rssBytes() {
        return rssBytes;
    }

    /** Ready with nothing to run since {@code idleNanos} before {@code now} (cheaper's idle worker). */
    boolean idleFor(long now, long idleNanos) {
        return state == State.READY && running.isEmpty() && now - idleSinceNanos >= idleNanos;
    }

    /** Still starting past {@code bootTimeoutNanos} and not yet killed for it. */
    boolean bootOverdue(long now, long bootTimeoutNanos) {
        return state == State.STARTING && !bootTimedOut && now - spawnedNanos > bootTimeoutNanos;
    }

    /** Killed for not becoming ready within boot-timeout. */
    boolean bootTimedOut() {
        return bootTimedOut;
    }

    /** Still stopping past {@code mercyNanos} after it was asked to stop (and not yet killed for it). */
    boolean pastMercy(long now, long mercyNanos) {
        return state == State.STOPPING && now - stopRequestedNanos > mercyNanos;
    }

    /**
     * The exchanges running longer than {@code limitNanos} and not yet answered by harakiri. One held behind
     * another has not started: its clock starts when it does (WorkerEvents.started). An accepted WebSocket is not
     * a request that runs too long: the listener's idle timeout and reload-mercy bound it instead.
     */
    List<Exchange> overdue(long now, long limitNanos) {
        List<Exchange> out = new ArrayList<>(0);
        for (Map.Entry<Exchange, Long> e : running.entrySet()) {
            long started = e.getValue();
            Exchange ex = e.getKey();
            if (started != HELD && now - started > limitNanos && !overdue.containsKey(ex)
                    && (ex.websocket() == null || !ex.websocket().accepted())) {
                out.add(ex);
            }
        }
        return out;
    }

    /** The exchanges handed to it, in the order handed, each with its start time or {@link #HELD}. */
    Map<Exchange, Long> running() {
        return Collections.unmodifiableMap(running);
    }

    /** The snapshot for status and stats; held exchanges have not started, so they have no age yet. */
    WorkerStatus status(long now) {
        long oldest = -1;
        for (long t : running.values()) {
            if (t != HELD) {
                oldest = Math.max(oldest, now - t);
            }
        }
        return new WorkerStatus(id(), worker.pid(), generation.number, stateName(), running.size(),
                worker.capacity(), served(), rssBytes, oldest, now - spawnedNanos, busyNanos);
    }

    private String stateName() {
        return state == State.READY && retiring ? "retiring" : state.name().toLowerCase(Locale.ROOT);
    }

    // Transitions, by the pool under its lock.

    void becomeReady(long now) {
        state = State.READY;
        idleSinceNanos = now;
    }

    void run(Exchange exchange, long now) {
        running.put(exchange, now);
    }

    void hold(Exchange exchange) {
        running.replace(exchange, HELD);
    }

    void begin(Exchange exchange, long now) {
        running.replace(exchange, now);
    }

    /** Ends {@code exchange}; false if this worker was not running it. */
    boolean finish(Exchange exchange, long now) {
        Long began = running.remove(exchange);
        if (began == null) {
            return false;
        }
        busyNanos += began == HELD ? 0 : now - began;
        overdue.remove(exchange);
        served++;
        if (running.isEmpty()) {
            idleSinceNanos = now;
        }
        return true;
    }

    void retire() {
        retiring = true;
    }

    /** Asks the worker to stop; returns the call to make after the pool's lock (kill if it was still booting). */
    Runnable stop(long now) {
        boolean booting = state == State.STARTING;
        state = State.STOPPING;
        stopRequestedNanos = now;
        return booting ? worker::kill : worker::stop;
    }

    /** Harakiri for {@code exchange}: returns the call that answers it 504 and ends the worker. */
    Runnable harakiri(Exchange exchange) {
        overdue.put(exchange, Boolean.TRUE);
        return () -> {
            exchange.response().error(504, null);
            worker.harakiri(exchange);
        };
    }

    /** Not ready within boot-timeout: returns the kill, after which its exit counts as a failed start. */
    Runnable killUnbooted() {
        bootTimedOut = true;
        return worker::kill;
    }

    /** Not stopped within reload-mercy: returns the kill; the check does not fire again. */
    Runnable killPastMercy() {
        stopRequestedNanos = Long.MAX_VALUE / 2;
        return worker::kill;
    }

    void measured(long rss) {
        rssBytes = rss;
    }
}
