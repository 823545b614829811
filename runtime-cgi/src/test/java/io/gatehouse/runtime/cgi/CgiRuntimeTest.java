package io.gatehouse.runtime.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Router;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.CheckedOptions;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgiRuntimeTest {
    @TempDir
    Path dir;
    LocalExchangeServer server;
    WorkerPool pool;

    void script(String name, String body) throws Exception {
        Path p = dir.resolve("cgi-bin").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void start() throws Exception {
        script("hello.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "printf '%s|%s|%s|%s' \"$SCRIPT_NAME\" \"$PATH_INFO\" \"$QUERY_STRING\" \"$HTTP_X_TOKEN\"\n");
        script("echo.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\ncat\n");
        script("missing.sh", "#!/bin/sh\nprintf 'Status: 404 Not Found\\nContent-Type: text/plain\\n\\ngone'\n");
        script("redirect.sh", "#!/bin/sh\nprintf 'Location: /elsewhere\\n\\n'\n");
        script("broken.sh", "#!/bin/sh\necho 'this is not a header block'\n");
        script("crash.sh", "#!/bin/sh\necho oops >&2\nexit 3\n");
        script("slow.sh", "#!/bin/sh\nsleep 30\n");
        script("env.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv\n");
        Files.createDirectories(dir.resolve("cgi-bin/sub"));
        script("sub/py.py", "import os\nprint('Content-Type: text/plain')\nprint()\nprint(os.environ['PATH_INFO'], end='')\n");
        String yaml = """
                listeners: [{protocol: http, bind: "127.0.0.1:0"}]
                apps:
                  - name: c
                    runtime: cgi
                    mount: /cgi
                    root: cgi-bin
                    threads: 4
                    timeout: 1s
                    interpreters: {".py": /usr/bin/python3}
                """;
        CheckedOptions<AppConfig, CgiOptions> app = CheckedOptions.firstApp(new CgiRuntime(), yaml,
                dir.resolve("t.yaml"));
        pool = new WorkerPool(PoolSettings.of(app.config()), new CgiRuntime().prepare(app.config(), app.options(),
                new RuntimeContext(null, dir)));
        pool.start();
        server = new LocalExchangeServer(Router.builder().mount(List.of(), "/cgi", pool).build());
    }

    @AfterEach
    void stop() {
        server.close();
        pool.kill();
    }

    Answer get(String path, String query) {
        EnvironHead h = Requests.get(path);
        h.environ().put("QUERY_STRING", query);
        h.environ().put("HTTP_X_TOKEN", "t0k");
        h.environ().put("wsgi.url_scheme", "http");
        return server.connect().send(h).answer();
    }

    @Test
    void runsTheScriptWithItsMetaVariables() {
        Answer a = get("/cgi/hello.sh/extra/path", "a=1");
        assertEquals(200, a.status());
        assertEquals("text/plain", a.header("Content-Type"));
        assertEquals("/cgi/hello.sh|/extra/path|a=1|t0k", a.text());
    }

    @Test
    void feedsTheBodyToStdin() {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Answer a = server.connect().send(Requests.head("POST", "/cgi/echo.sh", data.length),
                new LastBodyChunk(Unpooled.wrappedBuffer(data), 0)).answer();
        assertEquals(200, a.status());
        assertTrue(java.util.Arrays.equals(data, a.body()));
    }

    @Test
    void honoursStatusAndLocation() {
        Answer missing = get("/cgi/missing.sh", "");
        assertEquals(404, missing.status());
        assertEquals("gone", missing.text());
        Answer redirect = get("/cgi/redirect.sh", "");
        assertEquals(302, redirect.status());
        assertEquals("/elsewhere", redirect.header("Location"));
    }

    @Test
    void aScriptThatSpeaksNonsenseOrDiesIsA502() {
        assertEquals(502, get("/cgi/broken.sh", "").status());
        assertEquals(502, get("/cgi/crash.sh", "").status());
    }

    @Test
    void aScriptPastItsTimeoutIsKilled() {
        long t0 = System.nanoTime();
        assertEquals(502, get("/cgi/slow.sh", "").status());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void runsScriptsThroughTheirInterpreter() {
        assertEquals("/x", get("/cgi/sub/py.py/x", "").text());
    }

    @Test
    void answers404ForNoScriptAndNeverLeavesTheRoot() {
        assertEquals(404, get("/cgi/nothing.sh", "").status());
        assertEquals(404, get("/cgi/../t.yaml", "").status());
        assertEquals(404, get("/cgi/sub", "").status());
    }

    @Test
    void passesMetaVariablesButNotServerInternals() throws Exception {
        String env = get("/cgi/env.sh", "").text();
        assertTrue(env.contains("GATEWAY_INTERFACE=CGI/1.1"), env);
        assertTrue(env.contains("HTTP_X_TOKEN=t0k"), env);
        assertTrue(!env.contains("wsgi.url_scheme"), env);
        assertTrue(env.contains("SCRIPT_FILENAME=" + dir.resolve("cgi-bin/env.sh").toRealPath() + "\n"), env);
    }
}
