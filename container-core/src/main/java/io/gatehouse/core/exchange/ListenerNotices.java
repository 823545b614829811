package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.VarsReport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The warnings a listener gives once in its life rather than per request: a front server that leaves out CGI
 * variables (a location without {@code include uwsgi_params}), and uWSGI magic variables that are never obeyed.
 */
public final class ListenerNotices {
    private static final Logger LOG = Logger.getLogger(ListenerNotices.class.getName());

    private final AtomicBoolean missing = new AtomicBoolean();
    private final AtomicBoolean magic = new AtomicBoolean();

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
}
