package io.gatehouse.runtime.jvm;

import io.gatehouse.app.App;
import io.gatehouse.config.AppConfig;
import io.gatehouse.spi.runtime.Worker;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes thread-group workers sharing one loaded app. The app is loaded by the first worker that boots; a failure
 * is not kept, so the next start (after the pool's backoff) loads it afresh. Closing destroys the app and its
 * class loader.
 */
final class JvmWorkerFactory implements WorkerFactory {
    private static final Logger LOG = Logger.getLogger(JvmWorkerFactory.class.getName());

    /** The app once loaded: what requests call (wrapped in middleware), the app itself, and its class loader. */
    record Loaded(App app, App target, URLClassLoader loader) {
    }

    private final AppConfig config;
    private final JvmOptions options;
    private final URL[] urls;
    private Loaded loaded;
    private String lastFailure;
    private boolean closed;

    JvmWorkerFactory(AppConfig config, JvmOptions options, URL[] urls) {
        this.config = config;
        this.options = options;
        this.urls = urls;
    }

    @Override
    public Worker create(int id, WorkerEvents events) {
        return new JvmWorker(id, config.threads(), config.name(), this::load, options.nonBlocking(), events,
                threadFactory(id));
    }

    /**
     * The loaded app, loading it on first use. The stack trace of a failure is logged once (and again only when
     * the failure changes), so an app retried with backoff leaves one clear error, not one per attempt.
     */
    synchronized Loaded load() throws Exception {
        if (closed) {
            throw new IllegalStateException("app '" + config.name() + "' is being unloaded");
        }
        if (loaded == null) {
            try {
                loaded = JvmRuntime.load(config, options, urls);
                lastFailure = null;
            } catch (Exception | LinkageError e) {
                String failure = e.toString();
                if (!Objects.equals(failure, lastFailure)) {
                    LOG.log(Level.SEVERE, "app '" + config.name() + "' failed to load", e);
                }
                lastFailure = failure;
                throw e;
            }
        }
        return loaded;
    }

    private ThreadFactory threadFactory(int id) {
        String prefix = "app-" + config.name() + "-w" + id + "-t";
        if (options.virtualThreads()) {
            ThreadFactory virtual = virtualThreadFactory(prefix);
            if (virtual != null) {
                return virtual;
            }
        }
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            synchronized (this) {
                t.setContextClassLoader(loaded != null ? loaded.loader() : null);
            }
            return t;
        };
    }

    /** Thread.ofVirtual().name(prefix, 1).factory(), looked up at run time since the code targets Java 17. */
    private ThreadFactory virtualThreadFactory(String prefix) {
        if (Runtime.version().feature() < 21) {
            LOG.warning("app '" + config.name() + "': virtual-threads needs JDK 21 or newer; using platform threads");
            return null;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object b = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder)).invoke();
            b = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class))
                    .invoke(b, prefix, 1L);
            return (ThreadFactory) lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(b);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "app '" + config.name() + "': virtual threads unavailable; using platform threads", e);
            return null;
        }
    }

    @Override
    public void close() {
        Loaded app;
        synchronized (this) {
            closed = true;
            app = loaded;
            loaded = null;
        }
        if (app == null) {
            return;
        }
        try {
            app.target().destroy();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "app '" + config.name() + "' failed in destroy()", e);
        }
        try {
            app.loader().close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the class loader of app '" + config.name() + "'", e);
        }
    }
}
