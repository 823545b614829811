package io.gatehouse.runtime.python;

import io.gatehouse.spi.runtime.AppLauncher;
import io.gatehouse.spi.runtime.DirectListener;
import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The direct path of one fork server's workers (docs/performance.md, "Direct accept"): the listeners they accept on
 * themselves, passed to the fork server right after its HELLO, and where their scoreboards go. A WSGI app's only.
 *
 * @param listeners the listeners leading to this app alone; empty when the master takes every connection
 * @param boardDir  where the workers' scoreboards are made
 * @param mount     the app's mount: a worker hands back a request for a path outside it
 * @param harakiri  the app's harakiri, which a worker applies itself to the requests it runs alone (null: none)
 * @param maxRequests the app's max-requests (0: none): a worker that served them alone takes no more connections
 */
record PythonDirect(List<DirectListener> listeners, Path boardDir, String mount, Duration harakiri, long maxRequests) {
    /** No direct path: every request comes through the master. */
    static final PythonDirect NONE = new PythonDirect(List.of(), null, "/", null, 0);

    PythonDirect {
        listeners = List.copyOf(listeners);
    }

    boolean active() {
        return !listeners.isEmpty();
    }

    /** The {@code direct} settings of the worker script, as JSON. */
    StringBuilder settings(StringBuilder json) {
        PythonLaunch.field(json.append('{'), "board_dir", boardDir.toString()).append(",\"harakiri\":")
                .append(harakiri == null ? 0 : harakiri.toMillis() / 1000.0).append(",\"max_requests\":")
                .append(maxRequests).append(",\"listeners\":[");
        for (int i = 0; i < listeners.size(); i++) {
            DirectListener l = listeners.get(i);
            json.append(i > 0 ? ",{" : "{");
            PythonLaunch.field(json, "name", l.name()).append(',');
            PythonLaunch.field(json, "handback", l.handback().toString()).append(',');
            PythonLaunch.field(json, "mount", mount);
            for (Map.Entry<String, Object> e : l.limits().entrySet()) {
                PythonLaunch.quote(json.append(','), e.getKey()).append(':').append(e.getValue());
            }
            json.append('}');
        }
        return json.append("]}");
    }

    /** Passes the listening sockets on the fork server's connection, one per message, before any frame. */
    void passSockets(Channel control) {
        for (DirectListener l : listeners) {
            control.write(new FileDescriptor(l.socket()), control.voidPromise());
        }
        control.flush();
    }

    /** Gives the hand-back sockets to the app's user, whose workers connect to them. */
    void handOver(AppLauncher launcher) throws IOException {
        for (DirectListener l : listeners) {
            launcher.handOver(l.handback());
        }
    }

    /** A new worker's scoreboard, named by its token, for {@code threads} threads, given to the app's user. */
    PythonBoard board(String token, int threads, AppLauncher launcher) throws IOException {
        PythonBoard board = PythonBoard.create(boardDir.resolve(token), threads);
        launcher.handOver(board.file());
        return board;
    }

    void taken() {
        listeners.forEach(DirectListener::taken);
    }

    void released() {
        listeners.forEach(DirectListener::released);
    }
}
