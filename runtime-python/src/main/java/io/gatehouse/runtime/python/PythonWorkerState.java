package io.gatehouse.runtime.python;

/**
 * Where a CPython worker is in its life, and what is known of its end. The transitions decide and the
 * {@link PythonWorker} acts (signals, STOP frames, reports to the pool). Not thread-safe: guarded by the worker.
 */
final class PythonWorkerState {

    /** The steps of a worker's life, in order; it only moves down the list, and stop or kill may skip steps. */
    enum Lifecycle {
        /** Asked of the fork server; no pid yet. */
        FORKING,
        /** Forked (or a connection said HELLO): loading the app, its lanes connecting. */
        BOOTING,
        /** Every lane said HELLO: it takes exchanges, and the heartbeat watches it. */
        SERVING,
        /** Told to finish what it runs and exit: each lane gets STOP once idle. */
        STOPPING,
        /** Killed with SIGKILL, or to be as soon as its pid is known. */
        KILLING,
        /** Its fork server died, so no exit code will come: it is stopped (or killed) and gone once disconnected. */
        ORPHANED,
        /** Reported exited to the pool. */
        GONE
    }

    private Lifecycle lifecycle = Lifecycle.FORKING;
    /** Read without the worker's lock (rss, log lines, the /proc paths of offered files). */
    private volatile long pid = -1;
    private int openConnections;
    /** The app loaded (every lane said HELLO before it was told to go): a worker gone before then failed to boot. */
    private boolean loaded;
    /** Killed once already: a second kill (two lanes that saw it die at once) is not a retirement. */
    private boolean killed;
    private Integer exitCode;
    private String bootError;
    private String failure;

    Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Its pid, or -1 before it is known. */
    long pid() {
        return pid;
    }

    /** Moves to {@code next} if that is further down its life; false if it was there or beyond already. */
    private boolean advance(Lifecycle next) {
        if (lifecycle.compareTo(next) >= 0) {
            return false;
        }
        lifecycle = next;
        return true;
    }

    /** FORKED: the fork server made its process. True if it must be killed at once (a kill came first). */
    boolean forked(long forkedPid) {
        learnPid(forkedPid);
        return lifecycle == Lifecycle.KILLING;
    }

    /** A connection of the process said HELLO. False if the worker is gone already (the connection is closed). */
    boolean connected(long helloPid) {
        if (lifecycle == Lifecycle.GONE) {
            return false;
        }
        openConnections++;
        learnPid(helloPid);
        return true;
    }

    private void learnPid(long known) {
        if (pid < 0) {
            pid = known;
        }
        advance(Lifecycle.BOOTING);
    }

    /**
     * A serving lane said HELLO, making {@code lanes} of the {@code expected} it opens; true if the worker is SERVING
     * now (the last one came).
     */
    boolean laneJoined(int lanes, int expected) {
        if (lifecycle != Lifecycle.BOOTING || lanes != expected) {
            return false;
        }
        lifecycle = Lifecycle.SERVING;
        loaded = true;
        return true;
    }

    /** True while it takes exchanges: SERVING, not told to go (the heartbeat watches only then). */
    boolean serving() {
        return lifecycle == Lifecycle.SERVING;
    }

    /** True once it was told to go (stop, kill, its fork server gone) or is gone: lanes get STOP when idle. */
    boolean leaving() {
        return lifecycle.compareTo(Lifecycle.STOPPING) >= 0;
    }

    /** Told to finish and exit; false if it is gone already. A worker being killed stays so. */
    boolean stop() {
        advance(Lifecycle.STOPPING);
        return lifecycle != Lifecycle.GONE;
    }

    /** Told to exit now; false if it is gone already. */
    boolean kill() {
        advance(Lifecycle.KILLING);
        killed = true;
        return lifecycle != Lifecycle.GONE;
    }

    /** Told to go (a stop, or its fork server gone) and not killed yet: a kill now ends a retirement past mercy. */
    boolean retiring() {
        return leaving() && !killed && lifecycle != Lifecycle.GONE;
    }

    /** Its fork server died: no exit code will come. */
    void orphaned() {
        advance(Lifecycle.ORPHANED);
    }

    /**
     * A connection closed ({@code lane}: one of its serving lanes). True if that means the process is broken: a
     * lane closed while it was meant to run and before the fork server reported its exit.
     */
    boolean disconnected(boolean lane) {
        openConnections--;
        return lane && !leaving() && exitCode == null;
    }

    /** The fork server reaped it with {@code code}; true if connections of it are still open. */
    boolean exited(int code) {
        exitCode = code;
        return openConnections > 0;
    }

    /** It could not load the app: the traceback it sent. */
    void bootFailed(String traceback) {
        bootError = traceback;
    }

    /** The boot timer fired: true (and {@code reason} kept) unless the app loaded or the worker is gone. */
    boolean bootTimedOut(String reason) {
        if (loaded || lifecycle == Lifecycle.GONE) {
            return false;
        }
        failure = reason;
        return true;
    }

    /** The heartbeat found it wedged, for {@code reason}. */
    void wedged(String reason) {
        failure = reason;
    }

    /**
     * The exit to report if it is over now: not reported yet, every connection closed, and its exit code known
     * (or never to come); else null.
     */
    PythonExitStatus over() {
        if (lifecycle == Lifecycle.GONE || openConnections > 0
                || (exitCode == null && lifecycle != Lifecycle.ORPHANED)) {
            return null;
        }
        return PythonExitStatus.of(exitCode, loaded, bootError, failure);
    }

    /** Marks it reported; false if it was already. */
    boolean report() {
        return advance(Lifecycle.GONE);
    }
}
