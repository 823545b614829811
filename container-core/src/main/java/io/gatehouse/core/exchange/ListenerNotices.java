package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.VarsReport;
import io.gatehouse.spi.log.LogThrottle;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warnings of one listener that must not come once per request or connection. Once in its life: a front server
 * that leaves out CGI variables (a location without {@code include uwsgi_params}), and uWSGI magic variables that
 * are never obeyed. Rate-limited ({@link LogThrottle}): the one-line answers to bad requests and stalled clients,
 * and connections refused before their first request (a bad PROXY protocol header, max-connections reached).
 */
public final class ListenerNotices {
    private static final Logger LOG = Logger.getLogger(ListenerNotices.class.getName());
    /** The logger of the answers to bad requests: the exchange handler's, as they come from there. */
    private static final Logger FAULTS = Logger.getLogger(ExchangeHandler.class.getName());

    private final AtomicBoolean missing = new AtomicBoolean();
    private final AtomicBoolean magic = new AtomicBoolean();
    private final Map<String, LogThrottle> throttles = new ConcurrentHashMap<>(4);
    private final String prefix;

    /** The notices of the listener {@code listener}. */
    public ListenerNotices(String listener) {
        this.prefix = "[" + listener + "] ";
    }

    /** Logs what {@code report} says, each kind the first time only. */
    void report(VarsReport report, String listener, String protocol, String peer) {
        if (!report.defaulted().isEmpty() && missing.compareAndSet(false, true)) {
            LOG.warning("listener '" + listener + "': the front server at " + peer + " left out CGI variables; "
                    + "defaults used: " + String.join(", ", report.defaulted()) + ". Its config probably lacks "
                    + "'include " + protocol + "_params;' (nginx) or the like (said once per listener)");
        }
        if (!report.ignored().isEmpty() && magic.compareAndSet(false, true)) {
            LOG.warning("listener '" + listener + "': uWSGI magic variables are not obeyed and were ignored: "
                    + String.join(", ", report.ignored()) + " (from " + peer + "; said once per listener)");
        }
    }

    /**
     * One WARN line (rate-limited) for a request refused or timed out: listener, peer, the front server's
     * REMOTE_ADDR {@code client} if another, status, detail.
     */
    void fault(String listener, String peer, String client, ProtocolException failure) {
        Fault fault = failure.fault();
        String who = client == null || client.isEmpty() || peer.startsWith(client + ":") ? peer
                : peer + " (client " + client + ")";
        throttled(FAULTS).log("[" + listener + "] " + who + ": " + fault.status() + " " + fault.reason() + ": "
                + failure.getMessage());
    }

    /** One WARN line (rate-limited) for a connection cut without an answer: a client that stopped reading. */
    void cut(String listener, String peer, String why) {
        throttled(FAULTS).log("[" + listener + "] " + peer + ": connection cut: " + why);
    }

    /**
     * The listener's rate-limited WARN lines of {@code logger}: the answers to bad requests and stalled clients
     * (the exchange handler's), refused PROXY protocol headers, connections over max-connections.
     */
    public LogThrottle throttled(Logger logger) {
        return throttled(logger, 0);
    }

    /**
     * As {@link #throttled(Logger)}, letting at most {@code burst} lines through per interval (0: the repeat-limit),
     * as set on first use.
     */
    public LogThrottle throttled(Logger logger, int burst) {
        return throttles.computeIfAbsent(logger.getName(), n -> new LogThrottle(logger, Level.WARNING, prefix, burst,
                LogThrottle.DEFAULT_INTERVAL, GlobalEventExecutor.INSTANCE));
    }
}
