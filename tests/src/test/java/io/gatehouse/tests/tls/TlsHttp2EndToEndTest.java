package io.gatehouse.tests.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built distribution serving HTTPS (HTTP/2 by ALPN, HTTP/1.1) and h2c to real clients: curl (--http2,
 * --http2-prior-knowledge, a client certificate), nghttp, h2load, python3-httpx and python3-h2, against the JVM and
 * Python runtimes; openssl s_client on the protocol and cipher defaults and on SNI; a key pair that does not match
 * refused by check and by a reload, the old certificate staying in force.
 */
class TlsHttp2EndToEndTest {
    static final String PYTHON = "/usr/bin/python3";
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static GatehouseProcess server;
    static int tls;
    static int h2c;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Command.installed("curl") && Command.installed("nghttp") && Command.installed("h2load"),
                "skipped: curl and nghttp2-client are needed (.ci/install-deps installs them)");
        certs = TestCertificates.create(dir);
        tls = FreePort.pick();
        h2c = FreePort.pick();
        GatehouseProcess.write(dir, "env_app.py", """
                def application(environ, start_response):
                    body = environ['wsgi.input'].read()
                    lines = ['%s=%s' % (k, v) for k, v in sorted(environ.items()) if isinstance(v, str)]
                    lines.append('body-length=%d' % len(body))
                    out = ('\\n'.join(lines) + '\\n').encode('latin-1')
                    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(out)))])
                    return [out]
                """);
        GatehouseProcess.write(dir, "scope_app.py", """
                async def app(scope, receive, send):
                    size = 0
                    more = True
                    while more:
                        message = await receive()
                        size += len(message.get('body', b''))
                        more = message.get('more_body', False)
                    lines = ['%s=%s' % (k, scope[k]) for k in ('http_version', 'scheme', 'root_path', 'path')]
                    lines += ['query_string=%s' % scope['query_string'].decode(), 'body-length=%d' % size]
                    out = ('\\n'.join(lines) + '\\n').encode()
                    await send({'type': 'http.response.start', 'status': 200,
                                'headers': [(b'content-type', b'text/plain')]})
                    await send({'type': 'http.response.body', 'body': out})
                """);
        server = GatehouseProcess.start(dir.resolve("gatehouse"), config());
    }

    static String config() {
        return """
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:%d
                    tls:
                      certificate: %s
                      key: %s
                      certificates:
                        - {certificate: %s, key: %s}
                      client-auth: optional
                      ca: %s
                  - protocol: http
                    bind: 127.0.0.1:%d
                    http2: {h2c: true}
                apps:
                  - name: py
                    runtime: python
                    python: %s
                    mount: /py
                    wsgi-file: %s
                    workers: 2
                  - name: asgi
                    runtime: python
                    python: %s
                    mount: /asgi
                    interface: asgi
                    module: scope_app:app
                    chdir: %s
                    workers: 1
                  - name: environ
                    runtime: jvm
                    mount: /
                    class: io.gatehouse.examples.hello.EnvironApp
                    classpath: [%s]
                    threads: 4
                """.formatted(tls, certs.server, certs.serverKey, certs.other, certs.otherKey, certs.ca, h2c, PYTHON,
                dir.resolve("env_app.py"), PYTHON, dir, GatehouseProcess.exampleClasses());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Command.Result curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                certs.ca.toString()));
        cmd.addAll(List.of(args));
        return Command.run(cmd, Duration.ofSeconds(30));
    }

    static void assertHas(String text, String... lines) {
        for (String line : lines) {
            assertTrue(text.contains("\n" + line + "\n") || text.startsWith(line + "\n"), line + " in:\n" + text);
        }
    }

    @Test
    void servesHttp2ByAlpnAndHttp11OverTlsWithModSslVariables() {
        for (String app : List.of("/env", "/py/env")) {
            String h2 = curl("--http2", "https://localhost:" + tls + app + "?q=1").output();
            assertHas(h2, "SERVER_PROTOCOL=HTTP/2", "HTTPS=on", "wsgi.url_scheme=https", "HTTP_HOST=localhost:" + tls,
                    "SSL_PROTOCOL=TLSv1.3", "SSL_TLS_SNI=localhost", "SSL_CLIENT_VERIFY=NONE", "QUERY_STRING=q=1");
            assertTrue(h2.contains("\nSSL_CIPHER=TLS_") && h2.contains("\nSSL_SESSION_ID="), h2);
            String h1 = curl("--http1.1", "--tls-max", "1.2", "https://localhost:" + tls + app).output();
            assertHas(h1, "SERVER_PROTOCOL=HTTP/1.1", "SSL_PROTOCOL=TLSv1.2", "SSL_CIPHER=ECDHE-RSA-AES128-GCM-SHA256");
        }
    }

    @Test
    void servesAnAsgiAppOverHttp2AndHttp11WithAnUploadAsItsWindowsAllow() throws Exception {
        Path upload = dir.resolve("upload.bin");
        java.nio.file.Files.write(upload, new byte[3 * 1024 * 1024]);
        String h2 = curl("--http2", "--data-binary", "@" + upload, "https://localhost:" + tls + "/asgi/up?q=1")
                .output();
        assertHas(h2, "http_version=2", "scheme=https", "root_path=/asgi", "path=/asgi/up", "query_string=q=1",
                "body-length=" + (3 * 1024 * 1024));
        String h1 = curl("--http1.1", "https://localhost:" + tls + "/asgi/").output();
        assertHas(h1, "http_version=1.1", "scheme=https", "body-length=0");
        String cleartext = curl("--http2-prior-knowledge", "http://127.0.0.1:" + h2c + "/asgi/").output();
        assertHas(cleartext, "http_version=2", "scheme=http");
    }

    @Test
    void givesTheClientCertificateToTheApp() {
        String out = curl("--http2", "--cert", certs.client.toString(), "--key", certs.clientKey.toString(),
                "https://localhost:" + tls + "/py/who").output();
        assertHas(out, "SSL_CLIENT_VERIFY=SUCCESS", "SSL_CLIENT_S_DN=CN=alice,O=Example,C=US",
                "SSL_CLIENT_I_DN=CN=Gatehouse Test CA");
        String serial = TestCertificates.serial(certs.dir.resolve("client.leaf"));
        assertTrue(out.contains("\nSSL_CLIENT_M_SERIAL=" + serial + "\n"), serial + " in\n" + out);
        assertTrue(out.contains("\nSSL_CLIENT_CERT=-----BEGIN CERTIFICATE-----"), out);
    }

    @Test
    void choosesTheCertificateBySni() {
        String out = curl("--http2", "--resolve", "other.test:" + tls + ":127.0.0.1", "https://other.test:" + tls
                + "/sni").output();
        assertHas(out, "SSL_TLS_SNI=other.test", "SERVER_NAME=other.test");
        String s = sClient("-servername", "other.test", "-tls1_3");
        assertTrue(s.contains("subject=CN = other.test") || s.contains("subject=CN=other.test"), s);
    }

    @Test
    void offersOnlyTls12And13WithForwardSecretAeadCiphersAndAlpn() {
        assertTrue(sClient("-tls1_3", "-alpn", "h2").contains("ALPN protocol: h2"));
        assertTrue(sClient("-tls1_2", "-alpn", "http/1.1").contains("ALPN protocol: http/1.1"));
        for (String[] refused : List.of(new String[] {"-tls1_1"}, new String[] {"-tls1"},
                new String[] {"-tls1_2", "-cipher", "AES128-SHA"}, new String[] {"-tls1_2", "-cipher", "DES-CBC3-SHA"},
                new String[] {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"})) {
            String s = sClient(refused);
            assertTrue(s.contains("Cipher is (NONE)") || s.contains("alert") || s.contains("no protocols available")
                    || s.contains("no cipher"), String.join(" ", refused) + " was accepted:\n" + s);
        }
    }

    static String sClient(String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo | openssl s_client -connect 127.0.0.1:" + tls
                + " " + String.join(" ", args) + " 2>&1"));
        return Command.run(cmd, Duration.ofSeconds(30)).output();
    }

    @Test
    void speaksH2cWithPriorKnowledgeAndHttp11OnTheSamePort() {
        assertHas(curl("--http2-prior-knowledge", "http://127.0.0.1:" + h2c + "/py/x").output(),
                "SERVER_PROTOCOL=HTTP/2", "wsgi.url_scheme=http");
        assertHas(curl("http://127.0.0.1:" + h2c + "/x").output(), "SERVER_PROTOCOL=HTTP/1.1");
    }

    @Test
    void streamsRequestBodiesOverHttp2ToBothRuntimes() {
        GatehouseProcess.write(dir, "upload.bin", "x".repeat(3 * 1024 * 1024 + 17));
        for (String url : List.of("https://localhost:" + tls + "/py/up", "http://127.0.0.1:" + h2c + "/py/up")) {
            String out = curl(url.startsWith("https") ? "--http2" : "--http2-prior-knowledge", "--data-binary",
                    "@" + dir.resolve("upload.bin"), url).output();
            assertHas(out, "body-length=" + (3 * 1024 * 1024 + 17), "SERVER_PROTOCOL=HTTP/2");
        }
    }

    @Test
    void answersNghttpAndH2loadOverTlsAndH2c() {
        Command.Result n = Command.run(List.of("nghttp", "-v", "https://127.0.0.1:" + tls + "/n"), Duration.ofSeconds(30));
        assertTrue(n.output().contains(":status: 200") && n.output().contains("SERVER_PROTOCOL=HTTP/2"), n.output());
        for (String url : List.of("https://127.0.0.1:" + tls + "/", "http://127.0.0.1:" + h2c + "/",
                "https://127.0.0.1:" + tls + "/py/", "http://127.0.0.1:" + h2c + "/py/")) {
            Command.Result r = Command.run(List.of("h2load", "-n", "2000", "-c", "8", "-m", "10", url),
                    Duration.ofSeconds(120));
            assertTrue(r.output().contains("2000 succeeded, 0 failed, 0 errored"), url + ":\n" + r.output());
            assertTrue(r.output().contains("2000 2xx"), r.output());
        }
    }

    @Test
    void answersPythonHttpxAndH2Clients() {
        Assumptions.assumeTrue(Command.run(List.of(PYTHON, "-c", "import h2, httpx"), Duration.ofSeconds(30)).ok(),
                "skipped: python3-h2 and python3-httpx are needed (.ci/install-deps installs them)");
        String httpx = """
                import httpx, sys
                with httpx.Client(http2=True, verify=sys.argv[1]) as c:
                    for i in range(20):
                        r = c.post(sys.argv[2], content=b'a' * 100000)
                        assert r.status_code == 200 and r.http_version == 'HTTP/2', (r.status_code, r.http_version)
                        assert 'body-length=100000' in r.text, r.text
                print('ok', r.http_version)
                """;
        Command.Result r = Command.run(List.of(PYTHON, "-c", httpx, certs.ca.toString(), "https://localhost:" + tls
                + "/py/x"), Duration.ofSeconds(60));
        assertTrue(r.ok() && r.output().contains("ok HTTP/2"), r.output());
        String h2 = """
                import socket, sys, h2.connection, h2.events
                s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
                c = h2.connection.H2Connection()
                c.initiate_connection()
                for sid in (1, 3, 5):
                    c.send_headers(sid, [(':method', 'GET'), (':path', '/py/s%d' % sid), (':scheme', 'http'),
                                         (':authority', 'localhost'), ('cookie', 'a=1'), ('cookie', 'b=2')],
                                   end_stream=True)
                s.sendall(c.data_to_send())
                done, bodies = set(), {}
                while len(done) < 3:
                    for e in c.receive_data(s.recv(65536)):
                        if isinstance(e, h2.events.DataReceived):
                            bodies[e.stream_id] = bodies.get(e.stream_id, b'') + e.data
                            c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
                        elif isinstance(e, h2.events.StreamEnded):
                            done.add(e.stream_id)
                    s.sendall(c.data_to_send())
                for sid in (1, 3, 5):
                    assert b'HTTP_COOKIE=a=1; b=2' in bodies[sid] and b'PATH_INFO=/s%d' % sid in bodies[sid], bodies[sid]
                print('ok', sorted(done))
                """;
        r = Command.run(List.of(PYTHON, "-c", h2, Integer.toString(h2c)), Duration.ofSeconds(60));
        assertTrue(r.ok() && r.output().contains("ok [1, 3, 5]"), r.output());
    }

    @Test
    void refusesAKeyThatIsNotTheCertificatesAtCheckAndAtReload() throws Exception {
        Path bad = dir.resolve("bad");
        java.nio.file.Files.createDirectories(bad);
        TestCertificates.openssl(bad, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                "/CN=x", "-keyout", "wrong.key", "-out", "wrong.crt");
        String broken = config().replace("key: " + certs.serverKey, "key: " + bad.resolve("wrong.key"));
        Path file = GatehouseProcess.write(bad, "broken.yaml", broken);
        GatehouseProcess.Outcome check = GatehouseProcess.command(bad, "check", "-c", file.toString());
        assertEquals(2, check.status(), check.stdout() + check.stderr());
        String errors = check.stdout() + check.stderr();
        assertTrue(errors.contains("broken.yaml:6:") && errors.contains("listeners[0].tls.key")
                && errors.contains("is not the key of the certificate"), errors);
        GatehouseProcess.write(dir.resolve("gatehouse"), "gatehouse.yaml", broken);
        server.signal("HUP");
        Await.until("the refused reload", Duration.ofSeconds(30), () -> server.output().contains("reload refused"));
        assertTrue(server.output().contains("is not the key of the certificate"), server.output());
        GatehouseProcess.write(dir.resolve("gatehouse"), "gatehouse.yaml", config());
        // the old pair stays in force
        assertHas(curl("--http2", "https://localhost:" + tls + "/still").output(), "SERVER_PROTOCOL=HTTP/2");
    }
}
