package io.gatehouse.core.master;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.cgroup.CgroupChecks;
import io.gatehouse.core.cgroup.MasterCgroups;
import io.gatehouse.core.cgroup.ServiceCgroup;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.listener.InheritedSockets;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.core.stats.ServerStatus;
import io.gatehouse.spi.runtime.Privileges;
import io.gatehouse.spi.runtime.RunAs;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.Transport;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The master: owns what it serves (listeners, apps' pools, router) and the services beside them, and one loop that
 * hands each signal or control command to its named handler and runs a tick of small named steps, like gunicorn's
 * arbiter. Signal handlers, the control socket and the tick's look at watched files ({@link FileWatch}:
 * touch-reload, the apps-dir) only enqueue; everything happens on the loop.
 *
 * <ul>
 *   <li>SIGTERM ({@code gatehouse stop}): {@link #onTerminate}: stop accepting, drain in-flight requests up to
 *       shutdown-timeout, exit 0.</li>
 *   <li>SIGINT ({@code gatehouse stop --now}): {@link #onInterrupt}: stop now. SIGQUIT stays the JVM's thread
 *       dump ({@link MasterSignal} says why).</li>
 *   <li>SIGHUP ({@code gatehouse reload}): {@link #onHangup}: reload the config and give every app with code new
 *       workers ({@link Reloads}), as uWSGI and gunicorn do; a config with errors is refused.</li>
 *   <li>SIGUSR1: {@link #onUsr1}: reopen the log files.</li>
 * </ul>
 */
public final class Master implements ControlServer.Target {
    private static final Logger LOG = Logger.getLogger(Master.class.getName());
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ResolvedConfig bootConfig;
    private final ProtocolCatalog protocols;
    private final RuntimeCatalog runtimes;
    private final Map<String, String> env;
    private final BlockingQueue<MasterCommand> commands = new LinkedBlockingQueue<>();
    private final long startNanos = System.nanoTime();
    private final long startEpoch = System.currentTimeMillis() / 1000;
    private Transport transport;
    private RunDirectory runDir;
    private MasterCgroups cgroups;
    private SystemdNotify notifier;
    private StatsService stats;
    private AccessLogService accessLog;
    private ErrorLogService errorLog;
    private ServiceSet services;
    private volatile Serving serving;
    private volatile Reloads reloads;
    private FileWatch watch;
    private volatile boolean stopping;
    private MasterStop stop;
    private long lastTick;

    /** A master for {@code config}; nothing is bound until {@link #boot}. */
    public Master(ResolvedConfig config, ProtocolCatalog protocols, RuntimeCatalog runtimes) {
        this(config, protocols, runtimes, System.getenv());
    }

    /** As above, with the environment that carries systemd's variables. */
    public Master(ResolvedConfig config, ProtocolCatalog protocols, RuntimeCatalog runtimes, Map<String, String> env) {
        this.bootConfig = config;
        this.protocols = protocols;
        this.runtimes = runtimes;
        this.env = env;
    }

    /**
     * Binds the listeners, sets up the services, drops to master.user if asked (before any app's process starts),
     * starts the apps and waits (up to their boot-timeout) for their workers to be ready.
     */
    public void boot() throws IOException {
        GatehouseConfig c = bootConfig.config();
        transport = Transport.create(c.master().ioThreads());
        RuntimeContext context;
        try {
            runDir = RunDirectory.create();
            cgroups = MasterCgroups.setUp(ServiceCgroup.find(), bootConfig.apps().stream()
                    .anyMatch(a -> a.config().cgroup() != null && !a.config().cgroup().none()));
            context = new RuntimeContext(transport, runDir.path(), cgroups);
            openServices(c);
            // the workers ask for their direct listeners when they start, after the listeners are bound below
            DirectPlan direct = new DirectPlan(bootConfig, key -> serving.listeners().bySocket(key), transport,
                    runDir.path());
            serving = new Serving(bootConfig, context.withDirect(direct), cgroups);
            ExchangeLog finished = (exchange, listener, ok) -> {
                stats.finished(exchange, listener, ok);
                accessLog.finished(exchange, listener, ok);
            };
            serving.bind(new ListenerSet.Shared(transport, InheritedSockets.fromEnvironment(env), serving::router,
                    finished, () -> stopping));
            services.boot(c);
            if (c.master().user() != null) {
                PrivilegeDrop.to(RunAs.resolve(c.master().user(), c.master().group()), runDir.path(), c.logging(),
                        cgroups.owned());
            }
        } catch (IOException | RuntimeException e) {
            shutdown();
            throw e;
        }
        PrivilegeDrop.warnAboutRootApps(bootConfig.apps());
        serving.apps().pools().forEach(stats::meter);
        serving.apps().startAll();
        ConfigFiles files = new ConfigFiles(protocols, runtimes, Privileges.current(),
                CgroupChecks.forRun(cgroups.service()), System.getenv());
        reloads = new Reloads(files, context, serving, services, stats, notifier);
        watch = new FileWatch(serving);
        AppsDirWatch.refusals(bootConfig, file -> true);
    }

    /** Makes the services; the access log opens first, as the listeners log exchanges once they are bound. */
    private void openServices(GatehouseConfig c) throws IOException {
        notifier = SystemdNotify.fromEnvironment(env, transport);
        stats = new StatsService(transport, this::status);
        accessLog = new AccessLogService();
        errorLog = new ErrorLogService(c.logging());
        services = new ServiceSet(List.of(new ControlSocketService(transport, this), stats, new PidfileService(),
                errorLog, accessLog));
        accessLog.apply(c);
    }

    /** The bound listeners (with real ports), for tests and status. */
    public List<Listener> listeners() {
        return serving.listeners().all();
    }

    /** The running pools by app name. */
    public Map<String, WorkerPool> pools() {
        return serving.apps().poolsByName();
    }

    /** Installs the signal handlers and runs the loop until stopped; returns the exit status. */
    public int run() {
        MasterSignal.installAll(commands::add);
        return serve();
    }

    /**
     * The loop without signal handlers (tests post commands): each command to its handler, a tick when due. Ready is
     * said here, after {@link #run()} installed them: a SIGHUP sent on READY=1 must reload, not end the JVM.
     */
    int serve() {
        LOG.info("gatehouse ready (" + transport.name() + "): " + serving.listeners().describe() + "; apps: "
                + String.join(", ", serving.apps().apps().keySet()));
        notifier.ready(serving.statusLine());
        while (!stopped()) {
            MasterCommand c = next(Math.max(0, lastTick + TICK_NANOS - System.nanoTime()));
            if (c != null) {
                c.deliverTo(this);
            }
            if (!stopped() && System.nanoTime() - lastTick >= TICK_NANOS) {
                tick();
            }
        }
        return 0; // a stop, drained or at once, is a success
    }

    private boolean stopped() {
        return stop != null && stop.done();
    }

    /** Delivers a command as if a signal or the control socket had. */
    void post(MasterCommand command) {
        commands.add(command);
    }

    /** The tick, every 200 ms: small steps in a fixed order. */
    private void tick() {
        lastTick = System.nanoTime();
        serving.superviseApps();
        reloads.advance();
        if (!stopping) {
            watch.check(lastTick, serving, reloads.inProgress(), this::post);
        }
        serving.reapRemovedApps();
        serving.closeRetiredListeners();
        accessLog.flush();
        notifier.tick(lastTick);
        if (stop != null) {
            stop.stopOnceDrained();
        }
    }

    /** SIGHUP: reload the config and every app's code, as {@code gatehouse reload} does; ignored once stopping. */
    void onHangup() {
        if (!stopping) {
            LOG.info("SIGHUP: reloading " + serving.config().file() + " and the apps' code");
            onReload(new MasterCommand.Reload(ReloadScope.everything(), new CompletableFuture<>()));
        }
    }

    /** SIGTERM: stop accepting and drain; a tick stops the master once drained or at shutdown-timeout. */
    void onTerminate() {
        if (!stopping) {
            beginStopping();
            stop = MasterStop.draining(serving.config().config().master().shutdownTimeout(), serving,
                    this::shutdown);
        }
    }

    /** SIGINT: stop now, in the middle of a drain too. */
    void onInterrupt() {
        beginStopping();
        stop = MasterStop.now(serving, this::shutdown);
    }

    /** SIGUSR1: reopen the error log and the access log (after logrotate moved them). */
    void onUsr1() {
        try {
            errorLog.reopen();
            accessLog.reopen();
            LOG.info("SIGUSR1: log files reopened");
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "SIGUSR1: could not reopen log files", e);
        }
    }

    /** A reload asked for by SIGHUP or the control socket; refused once stopping. */
    void onReload(MasterCommand.Reload request) {
        if (stopping) {
            request.report().complete(ReloadReport.refused("the server is stopping", List.of()));
        } else {
            reloads.request(request);
        }
    }

    private void beginStopping() {
        stopping = true;
        notifier.stopping();
        reloads.abort();
    }

    private void shutdown() {
        if (serving != null) {
            serving.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        if (services != null) {
            services.close();
        }
        transport.close();
        if (cgroups != null) {
            cgroups.close();
        }
        if (runDir != null) {
            runDir.delete();
        }
    }

    /** Asks the loop to reload (the control socket's {@code reload}); the report completes when it is done. */
    @Override
    public CompletableFuture<ReloadReport> reload(ReloadScope scope) {
        CompletableFuture<ReloadReport> report = new CompletableFuture<>();
        commands.add(new MasterCommand.Reload(scope, report));
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
        Serving s = serving;
        Reloads r = reloads;
        String state = stopping ? "stopping" : r == null ? "starting" : r.inProgress() ? "reloading" : "ready";
        long uptime = System.nanoTime() - startNanos;
        return s == null ? StatusSnapshot.of(null, null, bootConfig, state, startEpoch, uptime)
                : s.status(state, startEpoch, uptime);
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
