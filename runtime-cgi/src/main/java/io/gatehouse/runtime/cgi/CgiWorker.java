package io.gatehouse.runtime.cgi;

import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.InProcessWorker;
import io.gatehouse.spi.runtime.WorkerEvents;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CGI worker: {@code threads} request threads, each running one script process at a time. Harakiri kills that
 * request's process only; the thread is then free again.
 */
final class CgiWorker extends InProcessWorker {
    private final String appName;
    private final CgiScripts scripts;
    private final CgiOptions options;
    private final ExecutorService executor;
    private final Map<Exchange, Process> processes = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopping;

    CgiWorker(int id, int threads, String appName, CgiScripts scripts, CgiOptions options, WorkerEvents events) {
        super(id, threads, events);
        this.appName = appName;
        this.scripts = scripts;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cgi-" + appName + "-w" + id + "-t" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start() {
        events.ready(this);
    }

    @Override
    public void handle(Exchange exchange) {
        running.incrementAndGet();
        executor.execute(() -> {
            try {
                new CgiRequest(appName, scripts, options, exchange, p -> processes.put(exchange, p)).run();
            } finally {
                processes.remove(exchange);
                events.finished(this, exchange);
                if (running.decrementAndGet() == 0 && stopping) {
                    reportExit(0, "stopped");
                }
            }
        });
    }

    @Override
    public void harakiri(Exchange overdue) {
        Process p = processes.get(overdue);
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        executor.shutdown();
        if (running.get() == 0) {
            reportExit(0, "stopped");
        }
    }

    @Override
    public void kill() {
        stopping = true;
        processes.values().forEach(Process::destroyForcibly);
        executor.shutdownNow();
        reportExit(137, "killed");
    }
}
