package io.gatehouse.core.pool;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Worker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The slots of one pool's live workers and the queue of exchanges waiting for room in one. It answers the pool's
 * questions about its workers by name ({@link #ready}, {@link #serving}, {@link #leastBusy}, ...) and does the
 * hand-offs between queue and workers; calls into workers and responses go to the pool's actions. Guarded by the
 * pool: only the pool (WorkerPool and its supervisor) calls its writing methods; checks, staffing and rollout ask.
 */
final class Slots {
    private final List<WorkerSlot> slots = new ArrayList<>();
    private final Map<Worker, WorkerSlot> byWorker = new IdentityHashMap<>();
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();

    // The workers.

    void add(WorkerSlot s) {
        slots.add(s);
        byWorker.put(s.worker, s);
    }

    /** The slot of {@code worker}, or null once it has left the pool (or was never in it). */
    WorkerSlot of(Worker worker) {
        return byWorker.get(worker);
    }

    /** Takes {@code worker}'s slot out; returns it, or null if it was not in the pool. */
    WorkerSlot remove(Worker worker) {
        WorkerSlot s = byWorker.remove(worker);
        if (s != null) {
            slots.remove(s);
        }
        return s;
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    /** Every live worker. */
    List<Worker> workers() {
        return slots.stream().map(s -> s.worker).toList();
    }

    /** Each live worker's snapshot, by id. */
    List<WorkerStatus> status(long now) {
        return slots.stream().sorted(Comparator.comparingInt(WorkerSlot::id)).map(s -> s.status(now)).toList();
    }

    /** The lowest id no live worker has. */
    int freeId() {
        for (int id = 1; ; id++) {
            if (!taken(id)) {
                return id;
            }
        }
    }

    private boolean taken(int id) {
        return any(s -> s.id() == id);
    }

    /** The worker with room running the fewest exchanges; the lowest numbered on a tie, so cheaper finds idle ones. */
    WorkerSlot leastBusy() {
        WorkerSlot best = null;
        for (WorkerSlot s : slots) {
            if (s.free() > 0 && (best == null || s.busy() < best.busy()
                    || (s.busy() == best.busy() && s.id() < best.id()))) {
                best = s;
            }
        }
        return best;
    }

    /** Some worker, of any generation, takes new exchanges. */
    boolean anyAccepting() {
        return any(WorkerSlot::accepting);
    }

    /** Workers of {@code g} that take new exchanges. */
    int accepting(Generation g) {
        return count(s -> s.generation == g && s.accepting());
    }

    /** Workers of {@code g} that are ready, retiring ones included. */
    int ready(Generation g) {
        return count(s -> s.generation == g && s.ready());
    }

    /** Workers of {@code g} that count towards the target (starting or ready, not on their way out). */
    int serving(Generation g) {
        return count(s -> s.generation == g && s.serving());
    }

    /** Serving workers of {@code g} still starting. */
    int starting(Generation g) {
        return count(s -> s.generation == g && s.serving() && s.starting());
    }

    /** Live workers of {@code g}, whatever their state. */
    int live(Generation g) {
        return count(s -> s.generation == g);
    }

    /** Some worker runs an exchange. */
    boolean anyRunning() {
        return any(s -> !s.idle());
    }

    /** Serving workers of other generations than {@code kept}: the ones a rollout replaces, in slot order. */
    List<WorkerSlot> stale(Generation kept) {
        return select(s -> s.generation != kept && s.serving());
    }

    /** The serving workers of {@code g} beyond the first {@code keep}: idle ones first, the highest numbered first. */
    List<WorkerSlot> surplus(Generation g, int keep) {
        List<WorkerSlot> serving = select(s -> s.generation == g && s.serving());
        serving.sort((a, b) -> Integer.compare(b.idle() ? b.id() : -1, a.idle() ? a.id() : -1));
        return serving.subList(0, Math.max(0, serving.size() - keep));
    }

    /** The serving worker of {@code g} idle for {@code idleNanos} or longer, the highest numbered; or null. */
    WorkerSlot idlest(Generation g, long now, long idleNanos) {
        return select(s -> s.generation == g && s.serving() && s.idleFor(now, idleNanos)).stream()
                .max(Comparator.comparingInt(WorkerSlot::id)).orElse(null);
    }

    /** Ready workers, retiring ones included: the ones whose memory reload-on-rss reads. */
    List<WorkerSlot> measurable() {
        return select(WorkerSlot::ready);
    }

    /** Every live worker, for the checks that look at each. */
    List<WorkerSlot> all() {
        return Collections.unmodifiableList(slots);
    }

    private int count(Predicate<WorkerSlot> p) {
        int n = 0;
        for (WorkerSlot s : slots) {
            n += p.test(s) ? 1 : 0;
        }
        return n;
    }

    private boolean any(Predicate<WorkerSlot> p) {
        for (WorkerSlot s : slots) {
            if (p.test(s)) {
                return true;
            }
        }
        return false;
    }

    private List<WorkerSlot> select(Predicate<WorkerSlot> p) {
        List<WorkerSlot> out = new ArrayList<>();
        for (WorkerSlot s : slots) {
            if (p.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    // Stopping.

    /** Takes {@code s} out of service: it stops now if it is booting or idle, else once its exchanges are done. */
    void retire(WorkerSlot s, long now, PoolActions actions) {
        s.retire();
        if (s.starting() || s.idle()) {
            actions.add(s.stop(now));
        }
    }

    /** Stops the retiring workers that have nothing left to run but WebSockets ({@link WorkerSlot#settled}). */
    void stopRetired(long now, PoolActions actions) {
        for (WorkerSlot s : select(s -> s.retiring() && !s.stopping() && s.settled())) {
            actions.add(s.stop(now));
        }
    }

    /** Stops every worker with nothing to run but WebSockets (the pool is stopping). */
    void stopIdle(long now, PoolActions actions) {
        for (WorkerSlot s : select(s -> !s.stopping() && s.settled())) {
            actions.add(s.stop(now));
        }
    }

    // The exchanges.

    /** {@code worker} holds {@code exchange} behind others: its harakiri clock stops until it starts. */
    void hold(Worker worker, Exchange exchange) {
        WorkerSlot s = byWorker.get(worker);
        if (s != null) {
            s.hold(exchange);
        }
    }

    /** {@code worker} starts {@code exchange}, which it held: its harakiri clock starts now. */
    void begin(Worker worker, Exchange exchange, long now) {
        WorkerSlot s = byWorker.get(worker);
        if (s != null) {
            s.begin(exchange, now);
        }
    }

    int queued() {
        return queue.size();
    }

    void enqueue(Exchange exchange) {
        queue.add(exchange);
    }

    /** Empties the queue; returns what it held, in order. */
    List<Exchange> drainQueue() {
        List<Exchange> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    /** Gives {@code s} queued exchanges while it has room (skipping those whose client has gone). */
    void takeQueued(WorkerSlot s, PoolActions actions) {
        while (s.free() > 0 && !queue.isEmpty()) {
            Exchange next = queue.poll();
            if (!next.clientGone()) {
                s.run(next, System.nanoTime());
                Worker w = s.worker;
                actions.add(() -> w.handle(next));
            }
        }
    }

    /**
     * Settles the exchanges of a worker that died (already removed): 502 for those it may have started; those it
     * held unstarted go back to the front of the queue, in order, for the other workers (or its replacement) to
     * run, unless {@code stopping}, when they get 502 too.
     */
    void requeueFront(WorkerSlot dead, boolean stopping, PoolActions actions) {
        List<Exchange> held = new ArrayList<>();
        for (Map.Entry<Exchange, Long> e : dead.running().entrySet()) {
            Exchange orphan = e.getKey();
            if (!stopping && e.getValue() == WorkerSlot.HELD) {
                held.add(orphan);
            } else {
                actions.add(() -> orphan.response().error(502, null));
            }
        }
        if (held.isEmpty()) {
            return;
        }
        for (int i = held.size() - 1; i >= 0; i--) {
            queue.addFirst(held.get(i));
        }
        for (WorkerSlot s : slots) {
            takeQueued(s, actions);
        }
    }
}
