package io.gatehouse.tests.hardening;

import io.gatehouse.tests.apps.HeaderEchoApp;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.RawHttp;
import io.gatehouse.tests.support.RawUwsgi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One server with every runtime, reachable over HTTP and over uwsgi spoken straight to its listener, for the tests
 * that attack it as a client that bypasses the front server would: static files (/static), CGI scripts in Python
 * (/cgi), a Python app (/py) and a JVM app (/jvm), the last three echoing the request's X-Echo field into their
 * response head. Beside the roots lies {@code secret.txt}, which no request may read.
 */
final class HostileSite implements AutoCloseable {
    static final String SECRET = "the secret outside every root";

    private final GatehouseProcess server;
    private final int httpPort;
    private final int uwsgiPort;

    private HostileSite(GatehouseProcess server, int httpPort, int uwsgiPort) {
        this.server = server;
        this.httpPort = httpPort;
        this.uwsgiPort = uwsgiPort;
    }

    static HostileSite start(Path dir) {
        try {
            Files.writeString(dir.resolve("secret.txt"), SECRET);
            GatehouseProcess.write(dir, "static/index.html", "<h1>static</h1>");
            GatehouseProcess.write(dir, "static/sub/page.html", "<p>page</p>");
            Files.createSymbolicLink(dir.resolve("static/link.txt"), dir.resolve("secret.txt"));
            Files.createSymbolicLink(dir.resolve("static/inside.html"), dir.resolve("static/index.html"));
            script(dir, "env.py", "import os\nprint('Content-Type: text/plain')\nprint()\n"
                    + "for k in sorted(os.environ):\n    print('%s=%s' % (k, os.environ[k]))\n");
            script(dir, "echo.py", "import os, sys\nsys.stdout.write('Content-Type: text/plain\\r\\nX-Echo: '"
                    + " + os.environ.get('HTTP_X_ECHO', '') + '\\r\\n\\r\\nechoed')\n");
            Files.createSymbolicLink(dir.resolve("cgi-bin/link.py"), dir.resolve("secret.txt"));
            int http = FreePort.pick();
            int uwsgi = FreePort.pick();
            String yaml = """
                    listeners:
                      - {name: web, protocol: http, bind: "127.0.0.1:%d"}
                      - {name: direct, protocol: uwsgi, bind: "127.0.0.1:%d"}
                    apps:
                      - {name: files, runtime: static, mount: /static, root: %s}
                      - {name: scripts, runtime: cgi, mount: /cgi, root: %s, interpreters: {".py": %s}}
                    %s%s""".formatted(http, uwsgi, dir.resolve("static"), dir.resolve("cgi-bin"), PythonApps.PYTHON,
                    PythonApps.app("wsgi", "/py", PythonApps.module("header_echo_app", "")).indent(2),
                    GatehouseYaml.jvmApp("jvm", "/jvm", HeaderEchoApp.class).indent(2));
            return new HostileSite(GatehouseProcess.start(dir, yaml), http, uwsgi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void script(Path dir, String name, String source) throws IOException {
        Path p = GatehouseProcess.write(dir, "cgi-bin/" + name, source);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A raw HTTP/1.1 GET of {@code target} (as written on the request line), with {@code fields} (CRLF-ended). */
    String http(String target, String fields) {
        return RawHttp.exchange(httpPort, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + fields
                + "Connection: close\r\n\r\n");
    }

    /** The request sent as a uwsgi packet straight to the uwsgi listener. */
    String uwsgi(RawUwsgi request) {
        return request.exchange(uwsgiPort);
    }

    /** What the server logged so far. */
    String log() {
        return server.output();
    }

    @Override
    public void close() {
        server.close();
    }
}
