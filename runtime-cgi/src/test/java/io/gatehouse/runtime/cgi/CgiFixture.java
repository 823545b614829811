package io.gatehouse.runtime.cgi;

import io.gatehouse.config.AppConfig;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Router;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.CheckedOptions;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.runtime.RuntimeContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** A cgi app named "c" mounted at /cgi over {@code dir}/cgi-bin, served through a local listener, for the tests. */
final class CgiFixture implements AutoCloseable {
    private final LocalExchangeServer server;
    private final WorkerPool pool;

    private CgiFixture(LocalExchangeServer server, WorkerPool pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Writes an executable script at {@code dir}/cgi-bin/{@code name}. */
    static Path script(Path dir, String name, String body) {
        try {
            Path p = dir.resolve("cgi-bin").resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, body);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app with a 1 s timeout, 4 threads, .py run by Debian's python3, and {@code extraYaml} (app keys). */
    static CgiFixture start(Path dir, String extraYaml) throws Exception {
        String yaml = """
                listeners: [{protocol: http, bind: "127.0.0.1:0"}]
                apps:
                  - name: c
                    runtime: cgi
                    mount: /cgi
                    threads: 4
                    timeout: 1s
                    interpreters: {".py": /usr/bin/python3}
                """ + extraYaml.indent(4);
        if (!extraYaml.contains("root:") && !extraYaml.contains("script:")) {
            yaml += "    root: cgi-bin\n";
        }
        Files.createDirectories(dir.resolve("cgi-bin"));
        CheckedOptions<AppConfig, CgiOptions> app = CheckedOptions.firstApp(new CgiRuntime(), yaml,
                dir.resolve("t.yaml"));
        WorkerPool pool = new WorkerPool(PoolSettings.of(app.config()), new CgiRuntime().prepare(app.config(),
                app.options(), new RuntimeContext(null, dir)));
        pool.start();
        return new CgiFixture(new LocalExchangeServer(Router.builder().mount(List.of(), "/cgi", pool).build()), pool);
    }

    /** A GET of /cgi{@code pathInfo} (PATH_INFO as given, a native string) with {@code vars} added to its environ. */
    Answer get(String pathInfo, String... vars) {
        EnvironHead h = Requests.get("/cgi/");
        h.environ().put("SCRIPT_NAME", "/cgi");
        h.environ().put("PATH_INFO", pathInfo);
        h.environ().put("QUERY_STRING", "");
        for (int i = 0; i < vars.length; i += 2) {
            h.environ().put(vars[i], vars[i + 1]);
        }
        return send(h);
    }

    /** A new client connection. */
    LocalExchangeServer.Client connect() {
        return server.connect();
    }

    /** Sends {@code head} and waits for the answer. */
    Answer send(EnvironHead head) {
        return server.connect().send(head).answer();
    }

    @Override
    public void close() {
        server.close();
        pool.kill();
    }
}
