package io.gatehouse.core.master;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.listener.Transport;
import io.gatehouse.core.log.AccessLog;
import io.gatehouse.core.log.LogSetup;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.core.runtime.RuntimeContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The master: owns the listeners, the apps' pools and the router, and one loop that turns signals and ticks into
 * small named steps, like gunicorn's arbiter. Signal handlers only enqueue; everything happens on the loop.
 *
 * <ul>
 *   <li>SIGTERM: stop accepting, drain in-flight requests up to shutdown-timeout, exit 0.</li>
 *   <li>SIGINT, SIGQUIT: stop now.</li>
 *   <li>SIGHUP: reload the config; a config with errors is refused and the running one kept.</li>
 *   <li>SIGUSR1: reopen the log files.</li>
 * </ul>
 */
public final class Master {
    private static final Logger LOG = Logger.getLogger(Master.class.getName());
    private static final long TICK_MILLIS = 200;

    private final ProtocolCatalog protocols;
    private final RuntimeCatalog runtimes;
    private final BlockingQueue<MasterSignal> signals = new LinkedBlockingQueue<>();
    private ResolvedConfig config;
    private Transport transport;
    private RunDirectory runDir;
    private AccessLog accessLog;
    private ListenerSet listeners;
    private volatile Deployment deployment;
    private volatile boolean draining;

    /** A master for {@code config}; nothing is bound until {@link #boot}. */
    public Master(ResolvedConfig config, ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        this.config = config;
        this.protocols = protocols;
        this.runtimes = runtimes;
    }

    /** Starts the apps and binds the listeners. */
    public void boot() throws IOException {
        GatehouseConfig c = config.config();
        transport = Transport.create(c.master().ioThreads());
        runDir = RunDirectory.create();
        String accessTarget = c.logging().accessLog();
        accessLog = accessTarget == null ? null : new AccessLog(accessTarget, c.logging().accessLogFormat());
        deployment = Deployment.prepare(config.apps(), new RuntimeContext(transport, runDir.path()));
        deployment.start();
        ExchangeLog log = accessLog != null ? accessLog : ExchangeLog.NONE;
        listeners = ListenerSet.bind(config.listeners(), transport, () -> deployment.router(), log, () -> draining);
        LOG.info("gatehouse ready (" + transport.name() + "): " + listeners.describe() + "; apps: "
                + String.join(", ", deployment.pools().keySet()));
    }

    /** The bound listeners (with real ports), for tests and status. */
    public List<Listener<?>> listeners() {
        return listeners.all();
    }

    /** The running pools by app name. */
    public java.util.Map<String, WorkerPool> pools() {
        return deployment.pools();
    }

    /** Installs the signal handlers and runs the loop until stopped; returns the exit status. */
    public int run() {
        MasterSignal.installAll(signals::add);
        return loop();
    }

    /** Delivers a signal as if the OS had (the control socket and tests use this). */
    public void post(MasterSignal signal) {
        signals.add(signal);
    }

    private int loop() {
        while (true) {
            MasterSignal s = nextSignal(TICK_MILLIS);
            if (s == null) {
                tick();
                continue;
            }
            switch (s) {
                case TERM:
                    return onTerminate();
                case INT:
                case QUIT:
                    return onInterrupt();
                case HUP:
                    onHangup();
                    break;
                case USR1:
                    onUsr1();
                    break;
                default:
                    break;
            }
        }
    }

    private void tick() {
        for (WorkerPool pool : deployment.pools().values()) {
            pool.tick();
        }
        if (accessLog != null) {
            accessLog.flush();
        }
    }

    private int onTerminate() {
        Duration timeout = config.config().master().shutdownTimeout();
        LOG.info("SIGTERM: draining in-flight requests (shutdown-timeout " + timeout.toMillis() + " ms)");
        draining = true;
        listeners.stopAccepting();
        listeners.drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!drained() && System.nanoTime() < deadline) {
            MasterSignal s = nextSignal(TICK_MILLIS);
            if (s == MasterSignal.INT || s == MasterSignal.QUIT) {
                return onInterrupt();
            }
            tick();
        }
        if (!drained()) {
            LOG.warning("shutdown-timeout passed with requests still in flight; closing them");
        }
        stopPools(deadline);
        shutdown();
        LOG.info("stopped");
        return 0;
    }

    private int onInterrupt() {
        LOG.info("stopping now");
        draining = true;
        deployment.pools().values().forEach(WorkerPool::kill);
        shutdown();
        return 0;
    }

    private void onHangup() {
        LOG.info("SIGHUP: reloading " + config.file());
        ResolvedConfig next;
        try {
            next = ResolvedConfig.load(config.file(), protocols, runtimes);
        } catch (ConfigException e) {
            LOG.severe("reload refused, the running config stays in force:\n" + e.getMessage());
            return;
        }
        if (!next.listeners().stream().map(ResolvedConfig.ResolvedListener::config).toList()
                .equals(config.listeners().stream().map(ResolvedConfig.ResolvedListener::config).toList())) {
            LOG.warning("listener changes take effect at the next restart; the sockets stay as they are");
        }
        Deployment old = deployment;
        Deployment fresh = Deployment.prepare(next.apps(), new RuntimeContext(transport, runDir.path()));
        fresh.start();
        awaitReady(fresh, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        deployment = fresh;
        config = next;
        old.pools().forEach((name, pool) -> {
            WorkerPool successor = fresh.pools().get(name);
            if (successor != null) {
                pool.handOver(successor);
            }
            pool.stop();
        });
        LOG.info("reloaded; apps: " + String.join(", ", fresh.pools().keySet()));
    }

    private void onUsr1() {
        try {
            LogSetup.reopen();
            if (accessLog != null) {
                accessLog.reopen();
            }
            LOG.info("SIGUSR1: log files reopened");
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "SIGUSR1: could not reopen log files", e);
        }
    }

    private void awaitReady(Deployment d, long deadline) {
        for (WorkerPool pool : d.pools().values()) {
            try {
                if (!pool.awaitReady(deadline)) {
                    LOG.warning("app '" + pool.appName() + "' has no ready worker yet; switching to it anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean drained() {
        for (WorkerPool pool : deployment.pools().values()) {
            if (!pool.idle()) {
                return false;
            }
        }
        return listeners.connectionCount() == 0;
    }

    private void stopPools(long deadline) {
        deployment.pools().values().forEach(WorkerPool::stop);
        long exitDeadline = Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        for (WorkerPool pool : deployment.pools().values()) {
            try {
                if (!pool.awaitExit(exitDeadline)) {
                    pool.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.kill();
            }
        }
    }

    private void shutdown() {
        listeners.close();
        if (accessLog != null) {
            try {
                accessLog.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the access log", e);
            }
        }
        transport.close();
        runDir.delete();
    }

    private MasterSignal nextSignal(long millis) {
        try {
            return signals.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MasterSignal.INT;
        }
    }
}
