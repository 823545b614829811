package io.gatehouse.runtime.python;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A worker's part in its fork server's direct path (docs/performance.md, "Direct accept"): its scoreboard, the watch
 * on the requests it runs alone ({@link PythonAlone}) while it takes connections, and its REPORTs of them.
 */
final class PythonWorkerDirect {
    private static final Logger LOG = Logger.getLogger(PythonWorker.class.getName());
    /** REPORT kinds: a client that stalled or left, an app that failed, a request ended by harakiri. */
    static final int REPORT_CLIENT = 0;
    static final int REPORT_APP_FAILED = 1;
    static final int REPORT_HARAKIRI = 2;

    private final PythonWorker worker;
    /** Guarded by this: the path, the worker's scoreboard on it, and the watch while it takes connections. */
    private PythonDirect path = PythonDirect.NONE;
    private PythonBoard board;
    private PythonAlone alone;

    PythonWorkerDirect(PythonWorker worker) {
        this.worker = worker;
    }

    /** Before its spawn: its fork server has a direct path, and this is the worker's scoreboard on it. */
    synchronized void assign(PythonDirect direct, PythonBoard scoreboard) {
        path = direct;
        board = scoreboard;
    }

    /**
     * The worker is ready: with a scoreboard, it takes connections from now on, watched against {@code harakiri};
     * true if so, when the caller says {@link #taken} once the worker is known ready.
     */
    synchronized boolean start(Duration harakiri, EventLoop timers) {
        if (board == null) {
            return false;
        }
        alone = PythonAlone.start(this, board, harakiri, timers);
        return true;
    }

    void taken() {
        path.taken(); // paired with the one released() of release, whichever comes first
    }

    /** It no longer takes connections itself (told to go, or gone): the master may have to take them again. */
    void release() {
        PythonAlone a;
        synchronized (this) {
            a = alone;
            alone = null;
        }
        if (a != null) {
            a.cancel();
            path.released();
        }
    }

    /** The worker is gone: its scoreboard goes too. */
    void delete() {
        PythonBoard b;
        synchronized (this) {
            b = board;
        }
        if (b != null) {
            b.delete();
        }
    }

    /** Requests it served alone, from its scoreboard. */
    long served() {
        PythonBoard b;
        synchronized (this) {
            b = board;
        }
        return b == null ? 0 : b.served();
    }

    /** Whether it runs, or ran since the last heartbeat, requests alone: its lanes read no PING meanwhile. */
    boolean busy() {
        PythonAlone a;
        synchronized (this) {
            a = alone;
        }
        return a != null && a.busySinceLastAsked();
    }

    /** REPORT: a request on the direct path the worker could not complete, logged as the master logs its own. */
    void report(ByteBuf content) {
        int kind = content.readableBytes() > 0 ? content.readUnsignedByte() : -1;
        String text = WsgiFrames.text(content);
        switch (kind) {
            case REPORT_APP_FAILED -> LOG.severe(worker.describe() + " " + text.stripTrailing());
            case REPORT_HARAKIRI -> {
                LOG.warning("harakiri: " + worker.describe() + " " + text);
                worker.wedged("it ended a request at harakiri");
            }
            default -> LOG.warning(worker.describe() + ": " + text);
        }
    }

    /** Ran a request alone past harakiri and did not end itself (its thread holds the interpreter): killed. */
    void overdue(String request, long millis) {
        LOG.warning("harakiri: " + worker.describe() + " ran " + request + " for over " + millis
                + " ms and did not end itself; killing it");
        worker.kill();
    }
}
