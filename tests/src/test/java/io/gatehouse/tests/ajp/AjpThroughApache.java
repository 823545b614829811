package io.gatehouse.tests.ajp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.support.Apache;
import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases every AJP web server must pass against one Gatehouse and one Apache httpd per class: Apache serves
 * plain HTTP on one 127.0.0.1 port and TLS (self-signed, client certificate optional) on another, with basic auth
 * on /app/private, and forwards everything over AJP with the secret. Subclasses choose the AJP module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AjpThroughApache {
    static final String SECRET = "t0p-s3cret";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    Path dir;
    GatehouseProcess gatehouse;
    Apache apache;
    int ajpPort;
    int smallPort;
    int httpsPort;
    HttpClient client;
    HttpClient tlsClient;
    byte[] bigFile;

    /** Apache modules the AJP module needs. */
    abstract List<String> modules();

    /** Server-wide directives (mod_jk's files). */
    abstract String globalConfig(Path dir);

    /**
     * Directives sending everything to Gatehouse, /wrong with a wrong secret, /small to the listener with a 1 KiB
     * body limit on {@link #smallPort}, and two request attributes (TENANT=acme, OTHER=x) with every request; used
     * in each server.
     */
    abstract String routes();

    /** The packet size both sides use. */
    abstract int packetSize();

    /** Extra listener keys for Gatehouse. */
    String listenerOptions() {
        return "";
    }

    @BeforeAll
    void start(@TempDir Path classDir) throws Exception {
        dir = classDir;
        ajpPort = FreePort.pick();
        smallPort = FreePort.pick();
        httpsPort = FreePort.pick();
        AjpTls tls = AjpTls.create(Files.createDirectories(dir.resolve("tls")));
        bigFile = new byte[30_000_000];
        new Random(8).nextBytes(bigFile);
        Files.write(Files.createDirectories(dir.resolve("files")).resolve("big.bin"), bigFile);
        String examples = GatehouseProcess.exampleClasses().toString();
        String testApps = Distribution.repositoryRoot().resolve("tests/target/test-classes").toString();
        gatehouse = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - name: ajp
                    protocol: ajp
                    bind: 127.0.0.1:%d
                    secret: %s
                    packet-size: %d
                    allowed-attributes: TENANT
                %s
                  - name: small
                    protocol: ajp
                    bind: 127.0.0.1:%d
                    secret: %s
                    packet-size: %d
                    max-body-size: 1KiB
                apps:
                  - {name: environ, runtime: jvm, mount: /app, threads: 4,
                     class: io.gatehouse.examples.hello.EnvironApp, classpath: [%s]}
                  - {name: echo, runtime: jvm, mount: /echo, threads: 4,
                     class: io.gatehouse.tests.apps.EchoApp, classpath: [%s]}
                  - {name: stream, runtime: jvm, mount: /stream, threads: 4,
                     class: io.gatehouse.tests.apps.StreamApp, classpath: [%s]}
                  - {name: files, runtime: static, mount: /files, root: %s}
                """.formatted(ajpPort, SECRET, packetSize(), listenerOptions().indent(4).stripTrailing(), smallPort,
                SECRET, packetSize(), examples, testApps, testApps, dir.resolve("files")));
        List<String> all = new ArrayList<>(List.of("ssl", "auth_basic", "authn_core", "authn_file", "authz_user"));
        all.addAll(modules());
        apache = Apache.start(dir.resolve("apache"), all, globalConfig(dir.resolve("apache")) + routes() + """
                <Location /app/private>
                  AuthType Basic
                  AuthName "gatehouse test"
                  AuthBasicProvider file
                  AuthUserFile %s
                  Require valid-user
                </Location>
                Listen 127.0.0.1:%d
                <VirtualHost 127.0.0.1:%d>
                  SSLEngine on
                  SSLCertificateFile %s
                  SSLCertificateKeyFile %s
                  SSLVerifyClient optional_no_ca
                  SSLOptions +StdEnvVars +ExportCertData
                %s
                </VirtualHost>
                """.formatted(tls.htpasswd, httpsPort, httpsPort, tls.serverCert, tls.serverKey,
                routes().indent(2)));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .sslContext(tls.clientContext()).build();
    }

    @AfterAll
    void stop() {
        try (GatehouseProcess g = gatehouse; Apache a = apache) {
            // closing both stops them, Apache first
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(apache.url() + path)).timeout(TIMEOUT);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    String failure(HttpResponse<?> r) {
        return r.statusCode() + " " + r.body() + "\n--- apache:\n" + apache.errorLog() + "\n--- gatehouse:\n"
                + gatehouse.output();
    }

    /** The value of {@code KEY=} in EnvironApp's answer, or null. */
    static String env(String body, String key) {
        return body.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    @Test
    void forwardsAGetWithAQueryStringAndAPercentEncodedUtf8Path() throws Exception {
        HttpResponse<String> r = client.send(request("/app/caf%C3%A9/%E2%82%AC%20x?q=1&r=%20&s=%C3%A9")
                .header("X-Custom", "yes").build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), failure(r));
        String body = r.body();
        assertEquals("/app", env(body, "SCRIPT_NAME"), body);
        assertEquals("/café/€ x", env(body, "PATH_INFO"), "decoded byte for byte: " + body);
        assertEquals("q=1&r=%20&s=%C3%A9", env(body, "QUERY_STRING"), body);
        assertTrue(env(body, "REQUEST_URI").matches("/app/caf%C3%A9/%E2%82%AC%20x\\?q=1&r=%20&s=%C3%A9"), body);
        assertEquals("GET", env(body, "REQUEST_METHOD"));
        assertEquals("yes", env(body, "HTTP_X_CUSTOM"));
        assertEquals("127.0.0.1", env(body, "REMOTE_ADDR"));
        assertTrue(env(body, "REMOTE_PORT").matches("\\d+"), body);
        assertEquals(Integer.toString(apache.port()), env(body, "SERVER_PORT"));
        assertEquals("http", env(body, "wsgi.url_scheme"));
        assertEquals("ajp", env(body, "gatehouse.protocol"));
    }

    @Test
    void uploadsTwentyMegabytes() throws Exception {
        byte[] data = new byte[20_000_000];
        new Random(6).nextBytes(data);
        HttpResponse<String> r = client.send(request("/echo/up").POST(HttpRequest.BodyPublishers.ofByteArray(data))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), failure(r));
        assertTrue(r.body().contains("\nlength=20000000\n"), r.body());
        assertTrue(r.body().contains(EchoApp.expectedSha(data)), r.body());
        assertTrue(r.body().contains("content-length=20000000"), r.body());
    }

    @Test
    void uploadsAChunkedBody() throws Exception {
        byte[] data = new byte[3_000_000];
        new Random(7).nextBytes(data);
        HttpResponse<String> r = client.send(request("/echo/chunked").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(data))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), failure(r));
        assertTrue(r.body().contains("\nlength=3000000\n"), r.body());
        assertTrue(r.body().contains(EchoApp.expectedSha(data)), r.body());
        assertTrue(r.body().contains("content-length=null"), "no length for a chunked body: " + r.body());
    }

    @Test
    void streamsAFiftyMegabyteResponseByteForByte() throws Exception {
        HttpResponse<InputStream> r = client.send(request("/stream/big?bytes=50000000").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != (byte) ((total + i) % 251)) {
                        throw new AssertionError("byte " + (total + i) + " is " + buf[i]);
                    }
                }
                total += n;
            }
        }
        assertEquals(50_000_000L, total);
    }

    @Test
    void sendsAStaticFileFramedInPacketsAndARangeOfIt() throws Exception {
        HttpResponse<byte[]> whole = client.send(request("/files/big.bin").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertEquals(bigFile.length, whole.body().length);
        assertEquals(EchoApp.expectedSha(bigFile), EchoApp.expectedSha(whole.body()), "every byte of the file");
        HttpResponse<byte[]> range = client.send(request("/files/big.bin").header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertEquals("bytes 1000-1999/30000000", range.headers().firstValue("Content-Range").orElse(""));
        assertEquals(EchoApp.expectedSha(java.util.Arrays.copyOfRange(bigFile, 1000, 2000)),
                EchoApp.expectedSha(range.body()));
    }

    @Test
    void answersHeadWithHeadersOnly() throws Exception {
        HttpResponse<String> r = client.send(request("/app/head").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), failure(r));
        assertEquals("", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    }

    @Test
    void passesTlsFactsWhenApacheTerminatesTls() throws Exception {
        HttpResponse<String> r = tlsClient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort
                + "/app/tls")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), failure(r));
        String body = r.body();
        assertEquals("on", env(body, "HTTPS"), body);
        assertEquals("https", env(body, "wsgi.url_scheme"), body);
        assertTrue(env(body, "SSL_CIPHER").matches("[A-Z0-9_-]+"), body);
        assertTrue(Integer.parseInt(env(body, "SSL_CIPHER_USEKEYSIZE")) >= 128, body);
        assertTrue(env(body, "SSL_PROTOCOL").startsWith("TLSv1."), body);
        assertEquals("-----BEGIN CERTIFICATE-----", env(body, "SSL_CLIENT_CERT"), "the client's PEM: " + body);
        assertEquals(Integer.toString(httpsPort), env(body, "SERVER_PORT"));
    }

    @Test
    void passesTheUserApacheAuthenticated() throws Exception {
        assertEquals(401, get("/app/private/x").statusCode());
        String credentials = Base64.getEncoder().encodeToString((AjpTls.USER + ":" + AjpTls.PASSWORD).getBytes());
        HttpResponse<String> r = client.send(request("/app/private/x").header("Authorization", "Basic " + credentials)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), failure(r));
        assertEquals(AjpTls.USER, env(r.body(), "REMOTE_USER"), r.body());
        assertEquals("Basic", env(r.body(), "AUTH_TYPE"), r.body());
    }

    @Test
    void reusesConnectionsAcrossRequests() throws Exception {
        Set<String> connections = new HashSet<>();
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = get("/app/reuse/" + i);
            assertEquals(200, r.statusCode(), failure(r));
            connections.add(env(r.body(), "ajp.peer"));
        }
        assertTrue(connections.size() <= 4, "20 requests over " + connections.size() + " AJP connections: "
                + connections);
    }

    @Test
    void keepsTheRequestAttributesAllowedAttributesAdmits() throws Exception {
        HttpResponse<String> r = get("/app/attributes");
        assertEquals(200, r.statusCode(), failure(r));
        assertEquals("acme", env(r.body(), "AJP_ATTR_TENANT"), r.body());
        assertEquals(null, env(r.body(), "AJP_ATTR_OTHER"), "not admitted: " + r.body());
    }

    @Test
    void refusesABodyOverTheLimitWith413WhileItsFirstPacketIsOnItsWay() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(request("/small/echo").POST(HttpRequest.BodyPublishers.ofByteArray(
                    new byte[65536])).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), failure(r));
        }
        Await.until("gatehouse to log the refusals", Duration.ofSeconds(10), () -> gatehouse.output()
                .split("Content-Length 65536 exceeds max-body-size 1024", -1).length - 1 == 3);
    }

    @Test
    void refusesAWrongSecretWith403AndOneLogLine() throws Exception {
        HttpResponse<String> r = get("/wrong/x");
        assertEquals(403, r.statusCode(), failure(r));
        String line = "403 Forbidden: forward request with a wrong secret";
        Await.until("gatehouse to log the refusal", Duration.ofSeconds(10), () -> gatehouse.output().contains(line));
        assertEquals(1, gatehouse.output().split(java.util.regex.Pattern.quote(line), -1).length - 1,
                "one log line per refused request");
    }
}
