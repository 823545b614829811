package io.gatehouse.tests.privileges;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The apps of the privilege tests, written into a directory anyone may read: a WSGI app that tells its pids and
 * tries to read a root-only file (directly, and through wsgi.file_wrapper with an O_PATH descriptor), a CGI script
 * that tells its ids and limits, and that file, mode 0600 root.
 */
final class PrivilegeApps {
    static final String SECRET = "the root-only secret";
    /** What runs a command as nobody, for a root test that needs an unprivileged gatehouse. */
    static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private PrivilegeApps() {
    }

    /** Writes the apps into {@code dir} (made 0755) and returns it. */
    static Path write(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            GatehouseProcess.write(dir, "who.py", """
                    import os

                    class PathOnly:
                        # A descriptor opened with O_PATH needs no right to read: only the master could read it.
                        def __init__(self, path):
                            self.fd = os.open(path, os.O_PATH)
                        def fileno(self):
                            return self.fd
                        def tell(self):
                            return 0
                        def read(self, size=-1):
                            return os.read(self.fd, 65536)
                        def close(self):
                            os.close(self.fd)

                    def application(environ, start_response):
                        path = environ['PATH_INFO']
                        secret = os.path.join(os.path.dirname(__file__), 'secret')
                        if path == '/opath':
                            start_response('200 OK', [('Content-Type', 'text/plain')])
                            return environ['wsgi.file_wrapper'](PathOnly(secret))
                        if path == '/secret':
                            try:
                                with open(secret) as f:
                                    body = f.read()
                            except PermissionError:
                                body = 'PermissionError'
                        else:
                            body = 'pid=%d ppid=%d gen=%s' % (os.getpid(), os.getppid(), os.environ.get('GEN', '1'))
                        start_response('200 OK', [('Content-Type', 'text/plain')])
                        return [body.encode()]
                    """);
            Path script = GatehouseProcess.write(dir, "cgi/who.sh", """
                    #!/bin/sh
                    echo "Content-Type: text/plain"
                    echo
                    grep -E '^(Uid|Gid|Groups):' /proc/$$/status
                    grep -E '^Max (open files|processes) ' /proc/$$/limits
                    cat "$(dirname "$0")/../secret" >/dev/null 2>&1 && echo "read the secret" || echo "denied"
                    """);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(script.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Path secret = GatehouseProcess.write(dir, "secret", SECRET);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the test unless {@code asUser} (a setpriv command, or nothing) can run the launcher. */
    static void assumeRunnableBy(List<String> asUser) {
        List<String> probe = new ArrayList<>(asUser);
        probe.addAll(List.of("test", "-x", Distribution.launcher().toString()));
        assumeTrue(Command.run(probe, Duration.ofSeconds(10)).ok(), String.join(" ", asUser) + " cannot run "
                + Distribution.launcher() + " (a directory above it is private)");
    }

    /** The Python app's entry under apps:, with {@code extra} keys. */
    static String python(Path dir, String extra) {
        return """
                - name: py
                  runtime: python
                  python: /usr/bin/python3
                  mount: /py
                  wsgi-file: %s
                  env: {PYTHONDONTWRITEBYTECODE: "1"}
                """.formatted(dir.resolve("who.py")) + extra.indent(2);
    }

    /** The CGI app's entry under apps:, with {@code extra} keys. */
    static String cgi(Path dir, String extra) {
        return """
                - name: cgi
                  runtime: cgi
                  mount: /cgi
                  root: %s
                """.formatted(dir.resolve("cgi")) + extra.indent(2);
    }

    static HttpResponse<String> get(int port, String path) throws IOException {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The pid and parent pid the Python app reported. */
    static long[] pids(String body) {
        String[] f = body.split(" ");
        return new long[] {Long.parseLong(f[0].substring(4)), Long.parseLong(f[1].substring(5))};
    }
}
