package io.gatehouse.tests.environ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.tests.frontend.FrontSite;
import io.gatehouse.tests.frontend.FrontTls;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13's proof that every listener normalizes into one environ: the same requests ({@link MatrixRequest})
 * through every front and protocol pair the suite starts ({@link MatrixPair}), to validated_app.py's report, a
 * Python app wrapped in wsgiref.validate.validator with its warnings made errors, mounted at / and at /app. Each
 * cell must answer 200 with the canonical environ of its request, changed only by the differences
 * {@link EnvironDifference} lists; no pair may leave a validator complaint in the log, nor the warning of a front
 * server that left out CGI variables (every row uses its server's stock params). The matrix is printed to the test
 * log once every pair has run. One Gatehouse and one front server per pair, for all of its cells.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "{0}")
@MethodSource("pairs")
class EnvironMatrixTest {
    private static final MatrixTable TABLE = new MatrixTable();
    /** What a complaint of the validator (an exception, a warning made one) leaves in the log. */
    private static final List<String> COMPLAINTS = List.of("Traceback", "WSGIWarning", "AssertionError",
            "Exception ignored");
    /** What Gatehouse says of a front server that left out CGI variables: no stock config may. */
    private static final String MISSING_VARS = "left out CGI variables";

    @TempDir
    static Path classDir;

    @Parameter
    MatrixPair pair;
    private FrontSite site;
    private Path reports;
    private GatehouseProcess gatehouse;
    private FrontServer front;
    private SSLContext tls;
    private int logChecked;

    static List<MatrixPair> pairs() {
        return MatrixPair.all();
    }

    @BeforeParameterizedClassInvocation
    void start(MatrixPair pair) throws IOException {
        site = FrontSite.in(Files.createDirectories(classDir.resolve(pair.name())));
        reports = Files.createDirectories(site.dir().resolve("reports"));
        String apps = app("report", "/") + app("mounted", MatrixRequest.MOUNT);
        gatehouse = GatehouseProcess.start(site.dir().resolve("gatehouse"), "listeners:\n"
                + pair.listeners(site).indent(2) + "apps:\n" + apps.indent(2));
        try {
            front = pair.startFront(site);
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
        if (pair.hasTls()) {
            tls = FrontTls.in(site.tlsDir()).clientContext();
        }
    }

    private String app(String name, String mount) {
        return PythonApps.app(name, mount, "MATRIX_REPORTS: \"" + reports + "\"", "wsgi-file: "
                + PythonApps.dir().resolve("validated_app.py") + "\ncallable: report\nworkers: 1\n");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        try (GatehouseProcess g = gatehouse; FrontServer f = front) {
            // both closed, the front server first
        }
        if (gatehouse == null) {
            return;
        }
        String log = gatehouse.output();
        for (String sign : COMPLAINTS) {
            if (log.contains(sign)) {
                TABLE.fail(pair, "'" + sign + "' in Gatehouse's log");
                fail("'" + sign + "' in the log of " + pair + ":\n" + log);
            }
        }
        if (log.contains(MISSING_VARS)) {
            TABLE.fail(pair, "the stock config left out CGI variables");
            fail(pair + "'s stock config left out CGI variables:\n" + log);
        }
    }

    @AfterAll
    static void printMatrix() {
        System.out.println(TABLE.render());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MatrixRequest.class)
    void cell(MatrixRequest request) throws Exception {
        if (request.tls() && !pair.hasTls()) {
            TABLE.mark(pair, request, MatrixTable.NONE, Set.of());
            assumeTrue(false, pair + " has no TLS");
        }
        int clientPort = request.tls() ? site.tlsPort() : pair.direct() ? site.port() : front.port();
        CellExpectation expected = CellExpectation.of(pair, request, clientPort, site.port());
        String mark = MatrixTable.FAILED;
        try {
            String cell = pair.name() + "." + request.name();
            MatrixClient.Answer r = MatrixClient.exchange(clientPort, request.tls() ? tls : null, request, cell);
            assertEquals(expected.status, r.status(), () -> failure(r));
            if (expected.status == 200) {
                Map<String, String> observed = observed(cell, request, r);
                assertTrue(expected.environ.equals(observed), () -> "environ of " + cell + " differs from the "
                        + "canonical one with " + expected.applied + ":\n" + mismatches(expected.environ, observed)
                        + "\nthe whole report:\n" + report(cell));
            }
            assertNoComplaint();
            mark = expected.status != 200 ? Integer.toString(expected.status)
                    : expected.applied.isEmpty() ? MatrixTable.SAME : MatrixTable.DIFFERS;
        } finally {
            TABLE.mark(pair, request, mark, expected.applied);
        }
    }

    /** The canonical keys of the report the app wrote for {@code cell}; its answer must be the same report. */
    private Map<String, String> observed(String cell, MatrixRequest request, MatrixClient.Answer r) {
        String report = report(cell);
        if (request != MatrixRequest.HEAD) {
            assertEquals(report, new String(r.body(), StandardCharsets.ISO_8859_1), "the answer is the report");
        } else {
            assertEquals(0, r.body().length, "HEAD has no body");
        }
        Map<String, String> all = new LinkedHashMap<>();
        report.lines().forEach(l -> all.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        Map<String, String> canonical = new LinkedHashMap<>();
        MatrixRequest.CANONICAL.forEach(k -> canonical.put(k, all.get(k)));
        return canonical;
    }

    private String report(String cell) {
        try {
            Path file = reports.resolve(cell + ".env");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "(no report)";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The keys whose values differ, one line each. */
    private static String mismatches(Map<String, String> expected, Map<String, String> observed) {
        StringBuilder out = new StringBuilder();
        expected.forEach((k, v) -> {
            if (!Objects.equals(v, observed.get(k))) {
                out.append("  ").append(k).append(": expected ").append(quote(v)).append(", got ")
                        .append(quote(observed.get(k))).append('\n');
            }
        });
        return out.toString();
    }

    private static String quote(String v) {
        return v == null ? "(absent)" : "'" + v + "'";
    }

    /** No validator complaint since the last cell (the pair's end checks the whole log once more). */
    private void assertNoComplaint() {
        String log = gatehouse.output();
        String recent = log.substring(Math.min(logChecked, log.length()));
        logChecked = log.length();
        for (String sign : COMPLAINTS) {
            assertTrue(!recent.contains(sign), () -> "'" + sign + "' in Gatehouse's log:\n" + recent);
        }
    }

    private String failure(MatrixClient.Answer r) {
        return r.text() + "\n--- " + pair + ":\n"
                + (front == null ? "" : front.errorLog()) + "\n--- gatehouse:\n" + gatehouse.output();
    }
}
