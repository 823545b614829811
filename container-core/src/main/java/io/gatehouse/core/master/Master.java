package io.gatehouse.core.master;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.listener.InheritedSockets;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.core.stats.ServerStatus;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The master: owns the listeners, the apps' pools and the router, and one loop that turns signals, control
 * commands and ticks into small named steps, like gunicorn's arbiter. Signal handlers and the control socket only
 * enqueue; everything happens on the loop.
 *
 * <ul>
 *   <li>SIGTERM ({@code gatehouse stop}): stop accepting, drain in-flight requests up to shutdown-timeout, exit 0.</li>
 *   <li>SIGINT ({@code gatehouse stop --now}): stop now. SIGQUIT stays the JVM's thread dump.</li>
 *   <li>SIGHUP ({@code gatehouse reload}): reload the config ({@link Reload}); a config with errors is refused.</li>
 *   <li>SIGUSR1: reopen the log files.</li>
 * </ul>
 */
public final class Master implements ControlServer.Target {
    private static final Logger LOG = Logger.getLogger(Master.class.getName());
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ProtocolCatalog protocols;
    private final RuntimeCatalog runtimes;
    private final Map<String, String> env;
    private final BlockingQueue<MasterCommand> commands = new LinkedBlockingQueue<>();
    private final List<MasterCommand.Reload> waitingReloads = new ArrayList<>();
    private final List<MasterCommand.Reload> reloadRequests = new ArrayList<>();
    private final List<AppSet.Mounted> draining = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final long startEpoch = System.currentTimeMillis() / 1000;
    private ResolvedConfig config;
    private Transport transport;
    private RuntimeContext runtimeContext;
    private RunDirectory runDir;
    private MasterServices services;
    private ListenerSet listeners;
    private volatile AppSet apps;
    private volatile String state = "starting";
    private Reload reload;
    private volatile boolean stopping;
    private long lastTick;

    /** A master for {@code config}; nothing is bound until {@link #boot}. */
    public Master(ResolvedConfig config, ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        this(config, protocols, runtimes, System.getenv());
    }

    /** As above, with the environment that carries systemd's variables. */
    public Master(ResolvedConfig config, ProtocolCatalog protocols, RuntimeCatalog runtimes, Map<String, String> env) {
        this.config = config;
        this.protocols = protocols;
        this.runtimes = runtimes;
        this.env = env;
    }

    /** Binds the listeners, starts the apps and waits (up to their boot-timeout) for their workers to be ready. */
    public void boot() throws IOException {
        GatehouseConfig c = config.config();
        transport = Transport.create(c.master().ioThreads());
        try {
            runDir = RunDirectory.create();
            runtimeContext = new RuntimeContext(transport, runDir.path());
            services = new MasterServices(transport, env, this::status, this);
            services.openLogs(c.logging());
            List<AppSet.Mounted> mounted = new ArrayList<>();
            config.apps().forEach(a -> mounted.add(AppSet.prepare(a, runtimeContext)));
            apps = new AppSet(mounted);
            listeners = ListenerSet.bind(config.listeners(), new ListenerSet.Shared(transport,
                    InheritedSockets.fromEnvironment(env), () -> apps.router(), services.exchangeLog(),
                    () -> stopping));
            services.apply(c, null);
        } catch (IOException | RuntimeException e) {
            shutdown();
            throw e;
        }
        for (WorkerPool pool : apps.pools()) {
            services.meter(pool);
        }
        apps.startAll();
        state = "ready";
        LOG.info("gatehouse ready (" + transport.name() + "): " + listeners.describe() + "; apps: "
                + String.join(", ", apps.apps().keySet()));
        services.notifier().ready(statusLine());
    }

    /** The bound listeners (with real ports), for tests and status. */
    public List<Listener> listeners() {
        return listeners.all();
    }

    /** The running pools by app name. */
    public Map<String, WorkerPool> pools() {
        return apps.poolsByName();
    }

    /** Installs the signal handlers and runs the loop until stopped; returns the exit status. */
    public int run() {
        MasterSignal.installAll(commands::add);
        return loop();
    }

    /** Delivers a command as if a signal or the control socket had (tests use this). */
    public void post(MasterCommand command) {
        commands.add(command);
    }

    private int loop() {
        while (true) {
            MasterCommand c = next(Math.max(0, lastTick + TICK_NANOS - System.nanoTime()));
            if (System.nanoTime() - lastTick >= TICK_NANOS) {
                tick();
            }
            if (c instanceof MasterCommand.Reload r) {
                onReload(r);
            } else if (c == MasterSignal.TERM) {
                return onTerminate();
            } else if (c == MasterSignal.INT || c == MasterSignal.QUIT) {
                return onInterrupt();
            } else if (c == MasterSignal.HUP) {
                LOG.info("SIGHUP: reloading " + config.file());
                onReload(new MasterCommand.Reload(Set.of(), new CompletableFuture<>()));
            } else if (c == MasterSignal.USR1) {
                services.reopenLogs();
            }
        }
    }

    private void tick() {
        lastTick = System.nanoTime();
        for (WorkerPool pool : apps.pools()) {
            pool.tick();
        }
        if (reload != null) {
            reload.newPools().forEach(WorkerPool::tick);
            if (reload.done()) {
                commitReload();
            }
        }
        draining.removeIf(this::drained);
        listeners.closeFinishedRetired();
        services.tick(lastTick);
    }

    private void onReload(MasterCommand.Reload request) {
        if (stopping) {
            request.report().complete(ReloadReport.refused("the server is stopping", List.of()));
        } else if (reload != null) {
            waitingReloads.add(request);
        } else {
            beginReload(List.of(request));
        }
    }

    private void beginReload(List<MasterCommand.Reload> requests) {
        Set<String> force = new LinkedHashSet<>();
        requests.forEach(r -> force.addAll(r.apps()));
        services.notifier().reloading();
        ResolvedConfig next;
        try {
            next = ResolvedConfig.load(config.file(), protocols, runtimes);
            reload = Reload.begin(next, apps, listeners, force, runtimeContext);
        } catch (ConfigException e) {
            LOG.severe("reload refused, the running config stays in force:\n" + e.getMessage());
            finishReload(requests, ReloadReport.refused("the config has errors",
                    e.errors().stream().map(ConfigError::toString).toList()));
            return;
        } catch (Reload.Refused e) {
            LOG.severe("reload refused, the running config stays in force: " + e.getMessage());
            finishReload(requests, ReloadReport.refused(e.getMessage(), List.of(e.getMessage())));
            return;
        }
        state = "reloading";
        reloadRequests.addAll(requests);
        if (reload.done()) {
            commitReload();
        }
    }

    private void commitReload() {
        Reload.Result result = reload.commit(listeners);
        apps = result.apps();
        listeners = result.listeners();
        for (AppSet.Mounted m : result.removed()) {
            LOG.info("app '" + m.name() + "' removed; draining it");
            if (m.pool() != null) {
                m.pool().stop();
                draining.add(m);
            }
        }
        for (WorkerPool pool : reload.newPools()) {
            services.meter(pool);
        }
        result.removed().forEach(m -> services.unmeter(m.name()));
        config = reload.next;
        services.apply(config.config(), this);
        reload = null;
        state = "ready";
        ReloadReport report = result.report();
        if (report.ok()) {
            LOG.info("reloaded: " + report.summary());
        } else {
            LOG.warning("reloaded with errors: " + String.join("; ", report.errors()));
        }
        List<MasterCommand.Reload> done = new ArrayList<>(reloadRequests);
        reloadRequests.clear();
        finishReload(done, report);
    }

    private void finishReload(List<MasterCommand.Reload> requests, ReloadReport report) {
        requests.forEach(r -> r.report().complete(report));
        services.notifier().ready(statusLine());
        if (!waitingReloads.isEmpty()) {
            List<MasterCommand.Reload> next = new ArrayList<>(waitingReloads);
            waitingReloads.clear();
            beginReload(next);
        }
    }

    private boolean drained(AppSet.Mounted m) {
        if (!m.pool().status().workers().isEmpty()) {
            m.pool().tick();
            return false;
        }
        try {
            m.pool().awaitExit(System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("app '" + m.name() + "' stopped");
        return true;
    }

    private int onTerminate() {
        Duration timeout = config.config().master().shutdownTimeout();
        LOG.info("SIGTERM: draining in-flight requests (shutdown-timeout " + timeout.toMillis() + " ms)");
        beginStopping();
        listeners.stopAccepting();
        listeners.drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!drained() && System.nanoTime() < deadline) {
            MasterCommand c = next(TICK_NANOS);
            if (c == MasterSignal.INT || c == MasterSignal.QUIT) {
                return onInterrupt();
            }
            if (c instanceof MasterCommand.Reload r) {
                onReload(r);
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
        beginStopping();
        allPools().forEach(WorkerPool::kill);
        shutdown();
        return 0;
    }

    private void beginStopping() {
        stopping = true;
        state = "stopping";
        services.notifier().stopping();
        if (reload != null) {
            reload.abort();
            List<MasterCommand.Reload> cut = new ArrayList<>(reloadRequests);
            cut.addAll(waitingReloads);
            cut.forEach(r -> r.report().complete(ReloadReport.refused("the server is stopping", List.of())));
            reload = null;
        }
    }

    private List<WorkerPool> allPools() {
        List<WorkerPool> all = new ArrayList<>(apps.pools());
        draining.forEach(m -> all.add(m.pool()));
        return all;
    }

    private boolean drained() {
        for (WorkerPool pool : apps.pools()) {
            if (!pool.idle()) {
                return false;
            }
        }
        return listeners.connectionCount() == 0;
    }

    private void stopPools(long deadline) {
        List<WorkerPool> all = allPools();
        all.forEach(WorkerPool::stop);
        long exitDeadline = Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        for (WorkerPool pool : all) {
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
        if (listeners != null) {
            listeners.close();
        }
        if (services != null) {
            services.close();
        }
        transport.close();
        if (runDir != null) {
            runDir.delete();
        }
    }

    private String statusLine() {
        return "serving " + apps.apps().size() + " app(s) on " + listeners.all().size() + " listener(s)";
    }

    /** Asks the loop to reload (the control socket's {@code reload}); the report completes when it is done. */
    @Override
    public CompletableFuture<ReloadReport> reload(Set<String> appNames) {
        CompletableFuture<ReloadReport> report = new CompletableFuture<>();
        commands.add(new MasterCommand.Reload(appNames, report));
        return report;
    }

    /** Asks the loop to stop: drained like SIGTERM, or at once like SIGINT. */
    @Override
    public void stop(boolean now) {
        commands.add(now ? MasterSignal.INT : MasterSignal.TERM);
    }

    /** A snapshot of the server; safe from any thread. */
    @Override
    public ServerStatus status() {
        return StatusSnapshot.of(this.apps, this.listeners, config.file().toString(), state, startEpoch,
                System.nanoTime() - startNanos);
    }

    private MasterCommand next(long nanos) {
        try {
            return commands.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MasterSignal.INT;
        }
    }
}
