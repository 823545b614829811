package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.config.MasterConfig;
import io.gatehouse.config.StatsConfig;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.log.AccessLog;
import io.gatehouse.core.log.LogSetup;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.stats.PoolMeters;
import io.gatehouse.core.stats.RequestMeters;
import io.gatehouse.core.stats.ServerStatus;
import io.gatehouse.core.stats.StatsServer;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the master runs beside the apps: the logs, the meters, the control socket, the stats server, the pidfile
 * and the systemd notifier. At boot a failure to set one up stops the boot; at a reload, a changed control socket,
 * stats bind, pidfile or log is set up anew and a failure is logged, the old one kept.
 */
final class MasterServices implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MasterServices.class.getName());

    private final Transport transport;
    private final Supplier<ServerStatus> status;
    private final ControlServer.Target control;
    private final SystemdNotify notifier;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeters requestMeters = new RequestMeters(registry);
    private final Map<String, PoolMeters> poolMeters = new HashMap<>();
    private final ExchangeLog exchangeLog;
    private volatile AccessLog accessLog;
    private GatehouseConfig current;
    private ControlServer controlServer;
    private volatile StatsServer statsServer;
    private Pidfile pidfile;

    MasterServices(Transport transport, Map<String, String> env, Supplier<ServerStatus> status,
            ControlServer.Target control) {
        this.transport = transport;
        this.status = status;
        this.control = control;
        this.notifier = SystemdNotify.fromEnvironment(env, transport);
        this.exchangeLog = this::finished;
    }

    /** The meters and the access log, composed: what every listener reports finished exchanges to. */
    ExchangeLog exchangeLog() {
        return exchangeLog;
    }

    private void finished(Exchange exchange, String listener, boolean ok) {
        if (statsServer != null) {
            // the meters are only ever read through the stats server: without one, they would cost every request
            requestMeters.finished(exchange, listener, ok);
        }
        AccessLog log = accessLog;
        if (log != null) {
            log.finished(exchange, listener, ok);
        }
    }

    SystemdNotify notifier() {
        return notifier;
    }

    void openLogs(LoggingConfig logging) throws IOException {
        accessLog = logging.accessLog() == null ? null : new AccessLog(logging.accessLog(), logging.accessLogFormat());
    }

    /** Sets up the control socket, stats server and pidfile of {@code next} (at boot: throws on failure). */
    void apply(GatehouseConfig next, Master reloading) {
        GatehouseConfig before = current;
        current = next;
        try {
            applyControl(before == null ? null : before.master(), next.master());
            applyStats(before == null ? null : before.stats(), next.stats());
            applyPidfile(before == null ? null : before.master().pidfile(), next.master().pidfile());
            if (before != null) {
                applyLogging(before.logging(), next.logging());
                if (before.master().ioThreads() != next.master().ioThreads()) {
                    LOG.warning("master.io-threads " + before.master().ioThreads() + " -> "
                            + next.master().ioThreads() + " takes effect at the next restart");
                }
            }
        } catch (IOException e) {
            if (reloading == null) {
                throw new java.io.UncheckedIOException(e);
            }
            LOG.severe("reload: " + e.getMessage() + "; keeping the previous one");
        }
    }

    private void applyControl(MasterConfig before, MasterConfig next) throws IOException {
        if (before != null && Objects.equals(before.controlSocket(), next.controlSocket())
                && before.controlSocketMode().equals(next.controlSocketMode())) {
            return;
        }
        if (controlServer != null) {
            controlServer.close();
            controlServer = null;
        }
        if (next.controlSocket() != null) {
            controlServer = ControlServer.bind(next.controlSocket(), next.controlSocketMode(), transport, control);
            LOG.info("control socket at " + controlServer.path());
        }
    }

    private void applyStats(StatsConfig before, StatsConfig next) throws IOException {
        if (before != null && Objects.equals(before.bind(), next.bind())) {
            return;
        }
        if (statsServer != null) {
            statsServer.close();
            statsServer = null;
        }
        if (next.bind() != null) {
            statsServer = StatsServer.bind(next.bind(), transport, registry, status);
            LOG.info("stats server on " + statsServer.localAddress() + " (/metrics: Prometheus, /: uWSGI JSON)");
        }
    }

    private void applyPidfile(String before, String next) throws IOException {
        if (pidfile != null && Objects.equals(before, next)) {
            return;
        }
        Pidfile written = Pidfile.write(next);
        if (pidfile != null) {
            pidfile.remove();
        }
        pidfile = written;
    }

    private void applyLogging(LoggingConfig before, LoggingConfig next) throws IOException {
        if (before.level() != next.level() || !Objects.equals(before.errorLog(), next.errorLog())) {
            LogSetup.configure(next.level(), next.errorLog());
        }
        if (!Objects.equals(before.accessLog(), next.accessLog()) || before.accessLogFormat() != next.accessLogFormat()) {
            AccessLog old = accessLog;
            openLogs(next);
            if (old != null) {
                old.close();
            }
        }
    }

    /** SIGUSR1: reopen the error log and the access log (after logrotate moved them). */
    void reopenLogs() {
        try {
            LogSetup.reopen();
            AccessLog log = accessLog;
            if (log != null) {
                log.reopen();
            }
            LOG.info("SIGUSR1: log files reopened");
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "SIGUSR1: could not reopen log files", e);
        }
    }

    void meter(WorkerPool pool) {
        PoolMeters old = poolMeters.put(pool.appName(), new PoolMeters(registry, pool));
        if (old != null) {
            old.close();
        }
    }

    void unmeter(String app) {
        PoolMeters m = poolMeters.remove(app);
        if (m != null) {
            m.close();
        }
    }

    /** From the master's tick: flush the access log, ping the systemd watchdog. */
    void tick(long now) {
        AccessLog log = accessLog;
        if (log != null) {
            log.flush();
        }
        notifier.tick(now);
    }

    /** Closes everything; the control socket last, so a waiting {@code gatehouse stop} returns at the very end. */
    @Override
    public void close() {
        if (statsServer != null) {
            statsServer.close();
        }
        AccessLog log = accessLog;
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the access log", e);
            }
        }
        if (pidfile != null) {
            pidfile.remove();
        }
        notifier.close();
        if (controlServer != null) {
            controlServer.close();
        }
    }
}
