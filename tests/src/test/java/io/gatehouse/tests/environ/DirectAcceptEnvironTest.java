package io.gatehouse.tests.environ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontSite;
import io.gatehouse.tests.frontend.FrontTls;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The direct path builds the master's environ: every matrix request ({@link MatrixRequest}) through each front
 * server's uwsgi row, once to a Gatehouse whose workers accept the listener's connections themselves (one app, the
 * default) and once to its twin with {@code direct-accept: false}, where the master relays each request. The two
 * reports of validated_app.py must be the same, key for key, but for the client's port; the first Gatehouse's log
 * must say that its workers took the listener's connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "{0}")
@EnumSource(names = {"NGINX_UWSGI_TCP", "NGINX_UWSGI_UNIX", "APACHE_UWSGI", "LIGHTTPD_UWSGI"})
class DirectAcceptEnvironTest {
    @TempDir
    static Path classDir;

    @Parameter
    FrontServerCase row;
    private final List<Twin> twins = new ArrayList<>();

    /** One Gatehouse and its front server; {@code direct} says whether its workers may accept themselves. */
    private record Twin(boolean direct, FrontSite site, Path reports, GatehouseProcess gatehouse, FrontServer front)
            implements AutoCloseable {

        static Twin start(FrontServerCase row, Path dir, boolean direct) throws IOException {
            FrontSite site = FrontSite.in(Files.createDirectories(dir));
            Path reports = Files.createDirectories(site.dir().resolve("reports"));
            String listeners = row.listeners(site);
            if (!direct) {
                listeners = listeners.replace("protocol: uwsgi,", "protocol: uwsgi, direct-accept: false,");
            }
            String app = PythonApps.app("report", "/", "MATRIX_REPORTS: \"" + reports + "\"", "wsgi-file: "
                    + PythonApps.dir().resolve("validated_app.py") + "\ncallable: report\nworkers: 2\n");
            GatehouseProcess gatehouse = GatehouseProcess.start(site.dir().resolve("gatehouse"),
                    "listeners:\n" + listeners.indent(2) + "apps:\n" + app.indent(2));
            try {
                return new Twin(direct, site, reports, gatehouse, row.startFront(site));
            } catch (RuntimeException | AssertionError e) {
                gatehouse.close();
                throw e;
            }
        }

        /**
         * The report of {@code cell} as its twin's would read: without the client's port (which differs between any
         * two connections) and the cell's name, with the twin's own directory and ports as {site} and {port}.
         */
        String report(String cell) throws IOException {
            Path file = reports.resolve(cell + ".env");
            assertTrue(Files.exists(file), "no report for " + cell + ":\n" + gatehouse.output());
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> !l.startsWith("REMOTE_PORT=") && !l.startsWith("HTTP_X_MATRIX_CELL="))
                    .map(this::neutral).collect(Collectors.joining("\n"));
        }

        private String neutral(String line) {
            String out = line.replace(site.dir().toString(), "{site}");
            for (int port : new int[] {front.port(), site.port(), site.limitedPort(), site.tlsPort()}) {
                out = out.replace(Integer.toString(port), "{port}");
            }
            return out;
        }

        @Override
        public void close() {
            try (GatehouseProcess g = gatehouse; FrontServer f = front) {
                // the front server first
            }
        }
    }

    @BeforeParameterizedClassInvocation
    void start(FrontServerCase row) throws IOException {
        twins.add(Twin.start(row, classDir.resolve(row.name() + "-direct"), true));
        twins.add(Twin.start(row, classDir.resolve(row.name() + "-master"), false));
    }

    @AfterParameterizedClassInvocation
    void stop() {
        Twin direct = twins.get(0);
        String log = direct.gatehouse().output();
        twins.forEach(Twin::close);
        twins.clear();
        assertTrue(log.contains("themselves (the direct path)"), "the workers took the listener's connections:\n"
                + log);
        assertTrue(!log.contains("Traceback"), log);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MatrixRequest.class)
    void sameEnvironEitherWay(MatrixRequest request) throws IOException {
        List<String> answers = new ArrayList<>();
        for (Twin twin : twins) {
            String cell = row.name() + (twin.direct() ? ".direct." : ".master.") + request.name();
            FrontSite site = twin.site();
            MatrixClient.Answer r = MatrixClient.exchange(request.tls() ? site.tlsPort() : twin.front().port(),
                    request.tls() ? FrontTls.in(site.tlsDir()).clientContext() : null, request, cell);
            // a front server's own refusal (Apache's 411 for a chunked body, its 404 for %2F) is the same for both
            answers.add(r.status() + "\n" + (r.status() == 200 ? twin.report(cell) : ""));
        }
        assertEquals(answers.get(1), answers.get(0), "the direct path's answer and environ (first) are the master's");
    }
}
