package io.gatehouse.runtime.statics;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.runtime.AppRuntime;
import io.gatehouse.spi.runtime.DocumentRoot;
import io.gatehouse.spi.runtime.InProcessWorker;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.gatehouse.spi.runtime.WorkerEvents;
import io.gatehouse.spi.runtime.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code static} runtime: files from one directory, sent zero-copy where the protocol allows, with ETag and
 * Last-Modified validators, single byte ranges, and no way out of the directory. Requests are served on the
 * listener's event loop (a stat and an open are cheap; the body goes out as a file region), so the pool's only job
 * is to count them.
 */
public final class StaticRuntime implements AppRuntime<StaticOptions> {
    /** Requests one static worker accepts at once; files do not block a thread while they are sent. */
    static final int CAPACITY = 65536;

    @Override
    public String name() {
        return "static";
    }

    /** A static app serves the files as they are at each request: there is no code for a reload to load. */
    @Override
    public boolean loadsCode() {
        return false;
    }

    @Override
    public Class<StaticOptions> optionsType() {
        return StaticOptions.class;
    }

    @Override
    public void validate(StaticOptions options, AppConfig app, ConfigScope where) {
        ConfigScope at = where.pinned(); // reported where the app starts
        Path root = RuntimeContext.resolve(app, options.root());
        if (!Files.isDirectory(root)) {
            at.key("root").error("not a directory: " + root);
        }
        for (String name : options.index()) {
            if (name.isEmpty() || name.contains("/")) {
                at.key("index").error("an index entry is a plain file name, got '" + name + "'");
            }
        }
    }

    @Override
    public WorkerFactory prepare(AppConfig app, StaticOptions options, RuntimeContext context) throws IOException {
        StaticFiles files = new StaticFiles(new DocumentRoot(RuntimeContext.resolve(app, options.root()),
                options.followSymlinks()), options);
        return (id, events) -> new StaticWorker(id, files, events);
    }

    /** A worker that answers on the calling thread. */
    private static final class StaticWorker extends InProcessWorker {
        private final StaticFiles files;

        StaticWorker(int id, StaticFiles files, WorkerEvents events) {
            super(id, CAPACITY, events);
            this.files = files;
        }

        @Override
        public void start() {
            events.ready(this);
        }

        @Override
        public void handle(Exchange exchange) {
            try {
                files.serve(exchange);
            } finally {
                events.finished(this, exchange);
            }
        }

        @Override
        public void stop() {
            reportExit(0, "stopped");
        }

        @Override
        public void kill() {
            reportExit(0, "stopped");
        }
    }
}
