package io.gatehouse.tests.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.apps.StreamApp;
import io.gatehouse.tests.frontend.FrontServerCase.Quirk;
import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The cases every front server must pass in front of Gatehouse, run against each row a subclass names with
 * {@link FrontServerRows} and each {@link AppFlavour}: one Gatehouse and one front server per row and flavour, for
 * all of the class's tests. Gatehouse runs with a 48 MiB heap and 16 MiB of direct memory, so the 20 MB upload, the
 * 50 MB download and the 30 MB file pass only if bodies stream. Cases of one front stay in its subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass(name = "{0}, {1} apps")
@ArgumentsSource(FrontServerCases.Rows.class)
public abstract class FrontServerCases {
    /** The JVM options Gatehouse runs with in these tests: too little memory to hold a large body whole. */
    private static final Map<String, String> BOUNDED_MEMORY = Map.of("GATEHOUSE_JAVA_OPTS",
            "-Xmx48m -XX:MaxDirectMemorySize=16m");
    protected static final Duration TIMEOUT = Duration.ofSeconds(60);
    protected static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final byte[] UPLOAD = random(20_000_000, 1);
    private static final byte[] CHUNKED_UPLOAD = random(5_000_000, 2);
    private static final byte[] STATIC_FILE = random(30_000_000, 8);

    @TempDir
    static Path classDir;

    /** The row this run of the class tests. */
    @Parameter(0)
    protected FrontServerCase row;
    /** The apps this run of the class mounts. */
    @Parameter(1)
    protected AppFlavour apps;
    protected FrontSite site;
    protected GatehouseProcess gatehouse;
    protected FrontServer front;

    @BeforeParameterizedClassInvocation
    void start(FrontServerCase row, AppFlavour apps) throws IOException {
        site = FrontSite.in(Files.createDirectories(classDir.resolve(row + "-" + apps)));
        Path files = Files.write(Files.createDirectories(site.dir().resolve("files")).resolve("big.bin"), STATIC_FILE);
        gatehouse = GatehouseProcess.start(site.dir().resolve("gatehouse"), "listeners:\n"
                + row.listeners(site).indent(2) + "apps:\n" + (apps.appsYaml() + """
                - {name: files, runtime: static, mount: /files, root: %s}
                """.formatted(files.getParent())).indent(2), BOUNDED_MEMORY);
        try {
            front = row.startFront(site);
        } catch (RuntimeException | AssertionError e) {
            gatehouse.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    void stop() {
        try (GatehouseProcess g = gatehouse; FrontServer f = front) {
            // both closed, the front server first
        }
    }

    protected final HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(front.url() + pathAndQuery)).timeout(TIMEOUT);
    }

    protected final HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The body as ISO-8859-1: one char per byte, so environ values compare byte for byte. */
    protected static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.ISO_8859_1);
    }

    /** The value of {@code key} in EnvironApp's answer, or null. */
    protected static String environ(String body, String key) {
        return body.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    /** What an assertion about {@code r} says when it fails: the answer and both servers' logs. */
    protected final String failure(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + text(r) + "\n--- " + row + ":\n" + front.errorLog() + "\n--- gatehouse:\n"
                + gatehouse.output();
    }

    @Test
    void getWithAQueryString() throws Exception {
        HttpResponse<byte[]> r = send(request("/app/x?a=1&b=%20&c").header("X-Custom", "yes"));
        assertEquals(200, r.statusCode(), failure(r));
        String env = text(r);
        assertEquals("a=1&b=%20&c", environ(env, "QUERY_STRING"), env);
        assertEquals("GET", environ(env, "REQUEST_METHOD"), env);
        assertEquals("http", environ(env, "wsgi.url_scheme"), env);
        assertEquals(row.protocol(), environ(env, "gatehouse.protocol"), env);
        assertEquals("yes", environ(env, "HTTP_X_CUSTOM"), env);
        assertEquals("127.0.0.1", environ(env, "REMOTE_ADDR"), env);
        assertTrue(environ(env, "REMOTE_PORT").matches("\\d+"), env);
        int serverPort = row.has(Quirk.NAMES_GATEHOUSE_AS_SERVER) ? site.port() : front.port();
        assertEquals(Integer.toString(serverPort), environ(env, "SERVER_PORT"), env);
        assertTrue(env.endsWith("\nbody-length=0\n"), env);
    }

    @Test
    void mountAtAppGetsScriptNameAndPathInfo() throws Exception {
        String env = text(send(request("/app/x/y")));
        assertEquals("/app", environ(env, "SCRIPT_NAME"), env);
        assertEquals("/x/y", environ(env, "PATH_INFO"), env);
    }

    @Test
    void percentEncodedUtf8PathReachesPathInfoByteExact() throws Exception {
        String uri = "/app/caf%C3%A9/%E2%82%AC%20x?q=1&r=%20&s=%C3%A9";
        HttpResponse<byte[]> r = send(request(uri));
        assertEquals(200, r.statusCode(), failure(r));
        String env = text(r);
        String utf8 = new String("/caf\u00e9/\u20ac x".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals(utf8, environ(env, "PATH_INFO"), "decoded byte for byte: " + env);
        assertEquals("q=1&r=%20&s=%C3%A9", environ(env, "QUERY_STRING"), env);
        assertEquals(uri, environ(env, "REQUEST_URI"), env);
    }

    @Test
    void postOf20MegabytesArrivesWhole() throws Exception {
        HttpResponse<byte[]> r = send(request("/echo").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(UPLOAD)));
        assertEquals(200, r.statusCode(), failure(r));
        assertTrue(text(r).contains("method=POST\nlength=20000000\n" + EchoApp.expectedSha(UPLOAD)), text(r));
        assertTrue(text(r).contains("content-length=20000000\n"), text(r));
    }

    @Test
    void uploadTheAppNeverReadsStillGetsItsWholeAnswer() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> r = send(request("/stream?bytes=100000").POST(
                    HttpRequest.BodyPublishers.ofByteArray(UPLOAD)));
            assertEquals(200, r.statusCode(), "try " + i);
            assertEquals(100_000, r.body().length, "try " + i);
        }
    }

    @Test
    void chunkedRequestBodyArrivesWhole() throws Exception {
        HttpResponse<byte[]> r = send(request("/echo").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(CHUNKED_UPLOAD))));
        if (row.has(Quirk.REFUSES_CHUNKED_BODIES)) {
            assertEquals(411, r.statusCode(), "the front server refuses chunked bodies itself");
            return;
        }
        assertEquals(200, r.statusCode(), failure(r));
        assertTrue(text(r).contains("\nlength=5000000\n"), text(r));
        assertTrue(text(r).contains(EchoApp.expectedSha(CHUNKED_UPLOAD)), text(r));
        String length = row.has(Quirk.STREAMS_CHUNKED_BODIES) || row.has(Quirk.PASSES_BYTES) ? "null" : "5000000";
        assertTrue(text(r).contains("\ncontent-length=" + length + "\n"), text(r));
    }

    @Test
    void streamedResponseOf50MegabytesArrivesByteForByte() throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(request("/stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (InputStream in = r.body()) {
            assertEquals(50_000_000L, StreamApp.readPattern(in));
        }
    }

    @Test
    void staticFileArrivesWholeAndAsARange() throws Exception {
        HttpResponse<byte[]> whole = send(request("/files/big.bin"));
        assertEquals(200, whole.statusCode(), failure(whole));
        assertEquals(STATIC_FILE.length, whole.body().length);
        assertEquals(EchoApp.expectedSha(STATIC_FILE), EchoApp.expectedSha(whole.body()), "every byte of the file");
        HttpResponse<byte[]> range = send(request("/files/big.bin").header("Range", "bytes=1000-1999"));
        assertEquals(206, range.statusCode(), failure(range));
        assertEquals("bytes 1000-1999/30000000", range.headers().firstValue("Content-Range").orElse(""));
        assertEquals(EchoApp.expectedSha(Arrays.copyOfRange(STATIC_FILE, 1000, 2000)),
                EchoApp.expectedSha(range.body()));
    }

    @Test
    void headGetsTheHeadersAndNoBody() throws Exception {
        HttpResponse<byte[]> r = send(request("/app/x").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode(), failure(r));
        assertEquals(0, r.body().length);
        assertEquals("text/plain; charset=iso-8859-1", r.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void redirectKeepsLocationAndCookie() throws Exception {
        HttpResponse<byte[]> r = send(request("/redirect"));
        assertEquals(302, r.statusCode(), failure(r));
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/redirect/target"), r.headers().map()
                .toString());
        assertEquals("seen=1; Path=/", r.headers().firstValue("Set-Cookie").orElse(null));
    }

    @Test
    void unmountedPathIsAnswered404() throws Exception {
        HttpResponse<byte[]> r = send(request("/nowhere"));
        assertEquals(404, r.statusCode(), failure(r));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Every row the class names, with every flavour of apps. */
    static final class Rows implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
                ExtensionContext context) {
            FrontServerRows rows = context.getRequiredTestClass().getAnnotation(FrontServerRows.class);
            if (rows == null) {
                throw new IllegalStateException(context.getRequiredTestClass() + " names no @FrontServerRows");
            }
            return Arrays.stream(rows.value()).flatMap(row -> Arrays.stream(AppFlavour.values())
                    .map(apps -> Arguments.of(row, apps)));
        }
    }
}
