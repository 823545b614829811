package io.gatehouse.core.master;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The master's reloads, one at a time: each re-reads the config file, runs a {@link Reload} until its new pools
 * are ready, installs it, then applies the services, each on its own. Requests that come during a reload run
 * together as the next one. Every request is answered with a {@link ReloadReport}.
 */
final class Reloads {
    // The master's own lines keep its name ([Master] in the log), as operators and tests look for them.
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    private final ProtocolCatalog protocols;
    private final RuntimeCatalog runtimes;
    private final RuntimeContext context;
    private final Serving serving;
    private final ServiceSet services;
    private final StatsService stats;
    private final SystemdNotify notifier;
    private final ReloadRequests requests = new ReloadRequests();
    private volatile Reload reload;

    Reloads(ProtocolCatalog protocols, RuntimeCatalog runtimes, RuntimeContext context, Serving serving,
            ServiceSet services, StatsService stats, SystemdNotify notifier) {
        this.protocols = protocols;
        this.runtimes = runtimes;
        this.context = context;
        this.serving = serving;
        this.services = services;
        this.stats = stats;
        this.notifier = notifier;
    }

    /** True while a reload waits for its new pools. */
    boolean inProgress() {
        return reload != null;
    }

    /** Begins a reload for {@code request}, or holds it for the next one if a reload is in progress. */
    void request(MasterCommand.Reload request) {
        if (reload != null) {
            requests.await(request);
        } else {
            begin(List.of(request));
        }
    }

    private void begin(List<MasterCommand.Reload> asked) {
        Set<String> force = new LinkedHashSet<>();
        asked.forEach(r -> force.addAll(r.apps()));
        notifier.reloading();
        ResolvedConfig config = serving.config();
        try {
            ResolvedConfig next = ResolvedConfig.load(config.file(), protocols, runtimes);
            next.logWarnings();
            reload = Reload.begin(next, serving.apps(), serving.listeners(), force, context);
        } catch (ConfigException e) {
            refuse(asked, ReloadReport.refused("the config has errors",
                    e.errors().stream().map(ConfigError::toString).toList()), "\n" + e.getMessage());
            return;
        } catch (Reload.Refused e) {
            refuse(asked, ReloadReport.refused(e.getMessage(), List.of(e.getMessage())), " " + e.getMessage());
            return;
        }
        requests.answering(asked);
        if (reload.done()) {
            commit(reload);
        }
    }

    private void refuse(List<MasterCommand.Reload> asked, ReloadReport report, String why) {
        LOG.severe("reload refused, the running config stays in force:" + why);
        ReloadRequests.complete(asked, report);
        ended();
    }

    /** A tick step: ticks the pools the reload started, and commits it once every new pool is ready or failed. */
    void advance() {
        Reload r = reload;
        if (r == null) {
            return;
        }
        r.newPools().forEach(WorkerPool::tick);
        if (r.done()) {
            commit(r);
        }
    }

    private void commit(Reload r) {
        Reload.Result result = r.commit(serving.listeners());
        GatehouseConfig before = serving.config().config();
        serving.install(result, r.next);
        r.newPools().forEach(stats::meter);
        result.removed().forEach(m -> stats.unmeter(m.name()));
        List<String> serviceFailures = services.reload(r.next.config());
        warnRestartOnly(before, r.next.config());
        reload = null;
        ReloadReport report = result.report().withServiceFailures(serviceFailures);
        if (report.ok()) {
            LOG.info("reloaded: " + report.summary());
        } else {
            LOG.warning("reloaded with errors: " + String.join("; ", report.errors()));
        }
        requests.answer(report);
        ended();
    }

    private static void warnRestartOnly(GatehouseConfig before, GatehouseConfig next) {
        if (before.master().ioThreads() != next.master().ioThreads()) {
            LOG.warning("master.io-threads " + before.master().ioThreads() + " -> " + next.master().ioThreads()
                    + " takes effect at the next restart");
        }
    }

    /** After a reload, applied or refused: systemd hears READY again, and the requests that waited run. */
    private void ended() {
        notifier.ready(serving.statusLine());
        List<MasterCommand.Reload> waiting = requests.takeWaiting();
        if (!waiting.isEmpty()) {
            begin(waiting);
        }
    }

    /** The server is stopping: stops what the reload in progress started and refuses every request held. */
    void abort() {
        Reload r = reload;
        if (r != null) {
            r.abort();
            reload = null;
            requests.refuseAll();
        }
    }
}
