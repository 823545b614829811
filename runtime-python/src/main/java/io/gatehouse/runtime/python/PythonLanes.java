package io.gatehouse.runtime.python;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's serving connections, whether an event loop serves them (the first one's kind says for all), which of
 * them carry an exchange, and which owe a PONG.
 */
final class PythonLanes {
    private final List<PythonLane> lanes = new ArrayList<>();
    private volatile boolean onLoop;

    /** Adds a lane that said HELLO; returns how many there are now, or -1 (not added) if its kind is the others' not. */
    synchronized int add(PythonLane lane) {
        boolean loop = lane.kind() == PythonLane.Kind.LOOP;
        if (lanes.isEmpty()) {
            onLoop = loop;
        } else if (onLoop != loop) {
            return -1;
        }
        lanes.add(lane);
        return lanes.size();
    }

    /** True if an event loop serves them (an ASGI app). */
    boolean onLoop() {
        return onLoop;
    }

    /** True if {@code lane} was one of them. */
    synchronized boolean remove(PythonLane lane) {
        return lanes.remove(lane);
    }

    synchronized boolean isEmpty() {
        return lanes.isEmpty();
    }

    synchronized List<PythonLane> all() {
        return new ArrayList<>(lanes);
    }

    /**
     * The least loaded lane holding fewer than {@code depth} exchanges, its load now counting one more; null if every
     * lane is full. Among the equally loaded it takes one on {@code near}, the client connection's event loop: the
     * exchange's bytes then pass between client and lane on one thread, without waking another.
     */
    synchronized PythonLane claim(int depth, EventLoop near) {
        PythonLane best = null;
        for (PythonLane lane : lanes) {
            if (lane.load >= depth) {
                continue;
            }
            boolean nearer = lane.channel().eventLoop() == near;
            if (best == null || lane.load < best.load
                    || (lane.load == best.load && nearer && best.channel().eventLoop() != near)) {
                best = lane;
                if (lane.load == 0 && nearer) {
                    break; // none is better: an event loop's hundred lanes need not all be looked at
                }
            }
        }
        if (best != null) {
            best.load++;
        }
        return best;
    }

    /** One exchange of {@code lane} is over; true if the lane is idle now. */
    synchronized boolean release(PythonLane lane) {
        lane.load--;
        return lane.load == 0;
    }

    synchronized List<PythonLane> idle() {
        List<PythonLane> idle = new ArrayList<>();
        for (PythonLane lane : lanes) {
            if (lane.load == 0) {
                idle.add(lane);
            }
        }
        return idle;
    }

    /**
     * The lanes to ping now (the idle ones, or all of them when {@code busyToo}), marked as owing a PONG; null if a
     * lane pinged one period ago has stayed silent since (and idle, unless {@code busyToo}). A thread's lane that
     * became busy is excused: its worker reads PING only between requests. An event loop reads at any time.
     */
    synchronized List<PythonLane> toPing(boolean busyToo) {
        List<PythonLane> ping = new ArrayList<>();
        for (PythonLane lane : lanes) {
            // a lane paused for its slow client reads nothing, its PONG included: excused too
            if ((lane.load > 0 && !busyToo) || !lane.channel().config().isAutoRead()) {
                lane.pingPending = false;
            } else if (lane.pingPending) {
                return null;
            } else {
                lane.pingPending = true;
                ping.add(lane);
            }
        }
        return ping;
    }

    /** No lane owes a PONG: their worker is busy elsewhere (the direct path), where harakiri watches it. */
    synchronized void excuseAll() {
        for (PythonLane lane : lanes) {
            lane.pingPending = false;
        }
    }

    synchronized void pong(PythonLane lane) {
        lane.pingPending = false;
    }
}
