package io.gatehouse.runtime.python;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pings a ready worker's idle lanes every period. A lane that stays idle and silent for a whole period means a
 * wedged process (stopped, or a thread holding the GIL forever): it is killed and replaced. Busy lanes of a WSGI
 * worker are left to harakiri, since its threads read PING only between requests; an ASGI worker's event loop reads
 * every lane at any time, so its busy lanes are pinged too, and a loop blocked for a whole period is caught.
 */
final class PythonHeartbeat implements Runnable {
    private final PythonWorker worker;
    private final PythonLanes lanes;
    private final long periodMillis;
    private final ScheduledFuture<?> task;

    private PythonHeartbeat(PythonWorker worker, PythonLanes lanes, EventLoop timers, long periodMillis) {
        this.worker = worker;
        this.lanes = lanes;
        this.periodMillis = periodMillis;
        this.task = timers.scheduleAtFixedRate(this, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts beating for {@code worker}'s {@code lanes}, or returns null when the period is 0 (off). */
    static PythonHeartbeat start(PythonWorker worker, PythonLanes lanes, EventLoop timers, long periodMillis) {
        return periodMillis > 0 ? new PythonHeartbeat(worker, lanes, timers, periodMillis) : null;
    }

    void cancel() {
        task.cancel(false);
    }

    @Override
    public void run() {
        if (!worker.serving()) {
            return;
        }
        if (worker.direct().busy()) {
            // a thread serving a connection it accepted itself reads no PING until it is done: harakiri watches it
            lanes.excuseAll();
            return;
        }
        List<PythonLane> ping = lanes.toPing(worker.onLoop());
        if (ping == null) {
            worker.killAsWedged("did not answer a ping within heartbeat " + periodMillis + " ms");
        } else {
            ping.forEach(PythonLane::ping);
        }
    }
}
