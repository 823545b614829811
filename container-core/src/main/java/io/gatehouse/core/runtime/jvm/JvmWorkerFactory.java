package io.gatehouse.core.runtime.jvm;

import io.gatehouse.app.App;
import io.gatehouse.config.AppConfig;
import io.gatehouse.core.pool.Worker;
import io.gatehouse.core.pool.WorkerEvents;
import io.gatehouse.core.pool.WorkerFactory;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URLClassLoader;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Makes thread-group workers sharing one loaded app; closing it destroys the app and its class loader. */
final class JvmWorkerFactory implements WorkerFactory {
    private static final Logger LOG = Logger.getLogger(JvmWorkerFactory.class.getName());

    private final AppConfig config;
    private final App app;
    private final App target;
    private final URLClassLoader loader;
    private final boolean virtualThreads;

    JvmWorkerFactory(AppConfig config, App app, App target, URLClassLoader loader, boolean virtualThreads) {
        this.config = config;
        this.app = app;
        this.target = target;
        this.loader = loader;
        this.virtualThreads = virtualThreads;
    }

    @Override
    public Worker create(int id, WorkerEvents events) {
        return new JvmWorker(id, config.threads(), config.name(), app, events, threadFactory(id));
    }

    private ThreadFactory threadFactory(int id) {
        String prefix = "app-" + config.name() + "-w" + id + "-t";
        if (virtualThreads) {
            ThreadFactory virtual = virtualThreadFactory(prefix);
            if (virtual != null) {
                return virtual;
            }
        }
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
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
        try {
            target.destroy();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "app '" + config.name() + "' failed in destroy()", e);
        }
        try {
            loader.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the class loader of app '" + config.name() + "'", e);
        }
    }
}
