package io.gatehouse.spi.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A listener leading to one app alone, whose connections that app's workers may accept themselves (the direct
 * path), as uWSGI's and gunicorn's workers do: no hop through the master. A worker takes only requests it can
 * answer exactly as the master would and hands every other connection back, unread, to {@link #handback()}.
 */
public interface DirectListener {

    /** The listeners that lead to the app named, and only to it; none where the master must see every request. */
    @FunctionalInterface
    interface Finder {
        /** No direct path anywhere. */
        Finder NONE = app -> List.of();

        List<DirectListener> forApp(String app);
    }

    /** The listener's name (the environ's gatehouse.listener). */
    String name();

    /** The listening socket's file descriptor, which the worker processes inherit. */
    int socket();

    /**
     * The limits a worker applies to the connections it takes, by name in snake case: the protocol's (a uwsgi
     * listener's buffer_size, max_vars, limit_post, in bytes) and the listener's body_timeout, send_timeout,
     * lingering_time and lingering_timeout (in seconds, 0 for none).
     */
    Map<String, Object> limits();

    /** The unix socket where a worker passes (SCM_RIGHTS) a connection it leaves to the master. */
    Path handback();

    /** A worker accepts from now on: while any does, the master accepts none itself. */
    void taken();

    /** A worker that accepted stopped or died; once none does, the master accepts again. */
    void released();
}
