package io.gatehouse.core.master;

import io.gatehouse.config.ConfigError;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.util.List;
import java.util.logging.Logger;

/**
 * The master's reloads, one at a time: each reads what its {@link ReloadScope} says (the whole config, some apps-dir
 * files, or nothing), runs a {@link Reload} until its new pools are ready, installs it, then (when the whole config
 * was read) applies the services, each on its own. Requests that come during a reload run together as the next
 * one. Every request is answered with a {@link ReloadReport}.
 */
final class Reloads {
    // The master's own lines keep its name ([Master] in the log), as operators and tests look for them.
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    private final ConfigFiles files;
    private final RuntimeContext context;
    private final Serving serving;
    private final ServiceSet services;
    private final StatsService stats;
    private final SystemdNotify notifier;
    private final ReloadRequests requests = new ReloadRequests();
    private volatile Reload reload;
    private ReloadScope scope;
    private List<String> refusals = List.of();

    Reloads(ConfigFiles files, RuntimeContext context, Serving serving, ServiceSet services, StatsService stats,
            SystemdNotify notifier) {
        this.files = files;
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
        ReloadScope next = ReloadScope.merged(asked.stream().map(MasterCommand.Reload::scope).toList());
        notifier.reloading();
        try {
            ResolvedConfig config = files.next(next, serving.config());
            if (next.whole()) {
                config.logWarnings();
            }
            refusals = AppsDirWatch.refusals(config, p -> next.whole() || next.files().contains(p));
            reload = Reload.begin(config, serving.apps(), serving.listeners(),
                    next.force(config, serving.apps().apps().keySet()), context);
        } catch (ConfigException e) {
            refuse(asked, ReloadReport.refused("the config has errors",
                    e.errors().stream().map(ConfigError::toString).toList()), "\n" + e.getMessage());
            return;
        } catch (Reload.Refused e) {
            refuse(asked, ReloadReport.refused(e.getMessage(), List.of(e.getMessage())), " " + e.getMessage());
            return;
        }
        scope = next;
        requests.answering(asked);
        if (reload.done()) {
            commit(reload);
        }
    }

    private void refuse(List<MasterCommand.Reload> asked, ReloadReport report, String why) {
        notifier.ready(serving.statusLine());
        LOG.severe("reload refused, the running config stays in force:" + why);
        ReloadRequests.complete(asked, report);
        runWaiting();
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
        List<String> serviceFailures = List.of();
        if (scope.whole()) {
            serviceFailures = services.reload(r.next.config());
            warnRestartOnly(before, r.next.config());
        }
        reload = null;
        // systemd hears READY=1 before anyone hears the outcome: "systemctl reload" returns into a ready service.
        notifier.ready(serving.statusLine());
        ReloadReport report = result.report().withRefusedFiles(refusals).withServiceFailures(serviceFailures);
        if (report.ok()) {
            LOG.info("reloaded: " + report.summary());
        } else {
            LOG.warning("reloaded with errors: " + String.join("; ", report.errors()));
        }
        requests.answer(report);
        runWaiting();
    }

    private static void warnRestartOnly(GatehouseConfig before, GatehouseConfig next) {
        if (before.master().ioThreads() != next.master().ioThreads()) {
            LOG.warning("master.io-threads " + before.master().ioThreads() + " -> " + next.master().ioThreads()
                    + " takes effect at the next restart");
        }
    }

    /** After a reload, applied or refused: the requests that waited for it run, together. */
    private void runWaiting() {
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
