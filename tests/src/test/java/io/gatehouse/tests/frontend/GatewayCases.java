package io.gatehouse.tests.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cases every front server must pass in front of a Gatehouse gateway listener (uwsgi, SCGI): a subclass starts
 * one front server and one Gatehouse for its whole class, per {@link AppFlavour}, and says where the front server
 * listens. Gatehouse runs with a 48 MiB heap and 16 MiB of direct memory, so the 20 MB upload and the 50 MB
 * download pass only if bodies stream.
 */
@ParameterizedClass(name = "{0} apps")
@EnumSource(AppFlavour.class)
public abstract class GatewayCases {
    /** The JVM options Gatehouse runs with in these tests: too little memory to hold a large body whole. */
    public static final Map<String, String> BOUNDED_MEMORY = Map.of("GATEHOUSE_JAVA_OPTS",
            "-Xmx48m -XX:MaxDirectMemorySize=16m");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final byte[] UPLOAD = random(20_000_000, 1);
    private static final byte[] CHUNKED_UPLOAD = random(5_000_000, 2);
    protected static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** The apps this run of the class mounts. */
    @Parameter
    protected AppFlavour apps;

    /** The front server's base URL, e.g. {@code http://127.0.0.1:PORT}. */
    protected abstract String base();

    /** The Gatehouse protocol the front server speaks ("uwsgi", "scgi"). */
    protected abstract String protocol();

    /** False for front servers that refuse chunked request bodies with 411 (Apache's mod_proxy_uwsgi/scgi). */
    protected boolean passesChunkedBodies() {
        return true;
    }

    /** Starts Gatehouse in {@code dir} with {@code listenersYaml} and the apps of {@code apps}, memory bounded. */
    protected static GatehouseProcess startGatehouse(Path dir, AppFlavour apps, String listenersYaml) {
        return GatehouseProcess.start(dir, listenersYaml + apps.appsYaml(), BOUNDED_MEMORY);
    }

    protected final HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    protected final HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base() + pathAndQuery));
    }

    protected static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void getWithAQueryString() throws Exception {
        HttpResponse<byte[]> r = send(request("/app/x?a=1&b=%20&c"));
        assertEquals(200, r.statusCode(), text(r));
        String env = text(r);
        assertTrue(env.contains("\nQUERY_STRING=a=1&b=%20&c\n"), env);
        assertTrue(env.contains("REQUEST_METHOD=GET\n"), env);
        assertTrue(env.contains("\nwsgi.url_scheme=http\n"), env);
        assertTrue(env.contains("\ngatehouse.protocol=" + protocol() + "\n"), env);
        assertTrue(env.contains("\nbody-length=0\n"), env);
    }

    @Test
    void mountAtAppGetsScriptNameAndPathInfo() throws Exception {
        String env = text(send(request("/app/x/y")));
        assertTrue(env.contains("\nSCRIPT_NAME=/app\n"), env);
        assertTrue(env.contains("\nPATH_INFO=/x/y\n"), env);
    }

    @Test
    void percentEncodedUtf8PathReachesPathInfoByteExact() throws Exception {
        HttpResponse<byte[]> r = send(request("/app/caf%C3%A9/%E2%82%AC%20x"));
        assertEquals(200, r.statusCode());
        byte[] expected = "\nPATH_INFO=/caf\u00e9/\u20ac x\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(indexOf(r.body(), expected) >= 0, text(r));
    }

    @Test
    void postOf20MegabytesArrivesWhole() throws Exception {
        HttpResponse<byte[]> r = send(request("/echo").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(UPLOAD)));
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(text(r).contains("length=20000000\n"), text(r));
        assertTrue(text(r).contains(EchoApp.expectedSha(UPLOAD)), text(r));
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
        if (!passesChunkedBodies()) {
            assertEquals(411, r.statusCode(), "the front server refuses chunked bodies itself");
            return;
        }
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(text(r).contains("length=5000000\n"), text(r));
        assertTrue(text(r).contains(EchoApp.expectedSha(CHUNKED_UPLOAD)), text(r));
    }

    @Test
    void streamedResponseOf50MegabytesArrivesByteForByte() throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(request("/stream").timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != (byte) ((total + i) % 251)) {
                        throw new AssertionError("byte " + (total + i) + " differs");
                    }
                }
                total += n;
            }
        }
        assertEquals(50_000_000L, total);
    }

    @Test
    void headGetsTheHeadersAndNoBody() throws Exception {
        HttpResponse<byte[]> r = send(request("/app/x").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals("text/plain; charset=iso-8859-1", r.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void redirectKeepsLocationAndCookie() throws Exception {
        HttpResponse<byte[]> r = send(request("/redirect"));
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/redirect/target"), r.headers().map()
                .toString());
        assertEquals("seen=1; Path=/", r.headers().firstValue("Set-Cookie").orElse(null));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Waits until {@code gatehouse} has logged {@code text}, then checks it did so exactly once. */
    protected static void assertLoggedOnce(GatehouseProcess gatehouse, String text) {
        Await.until("a log line with '" + text + "'", Duration.ofSeconds(10),
                () -> gatehouse.output().contains(text));
        assertEquals(1, gatehouse.output().split(Pattern.quote(text), -1).length - 1, gatehouse.output());
    }

    /** Where {@code needle} starts in {@code haystack}, or -1. */
    protected static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
