package io.gatehouse.tests.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.examples.hello.EnvironApp;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.Haproxy;
import io.gatehouse.tests.support.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trusted-proxies} behind real proxies: haproxy in HTTP mode with {@code option forwardfor}, connecting from
 * 127.0.0.3, and nginx with {@code proxy_pass} and {@code $proxy_add_x_forwarded_for}, from 127.0.0.4, in front of
 * an HTTP listener that trusts those two addresses; nginx's uwsgi_pass in front of a uwsgi listener that trusts the
 * REMOTE_ADDR nginx sends. The test's client is 127.0.0.1, which no listener trusts, so a header it writes itself
 * is the spoofing attempt.
 */
class TrustedProxiesTest {
    @TempDir
    static Path dir;
    static GatehouseProcess gatehouse;
    static Haproxy haproxy;
    static Nginx nginx;
    static int http;

    @BeforeAll
    static void start() {
        http = FreePort.pick();
        int uwsgi = FreePort.pick();
        gatehouse = GatehouseProcess.start(dir.resolve("gatehouse"), """
                listeners:
                  - name: web
                    protocol: http
                    bind: 127.0.0.1:%d
                    trusted-proxies: [127.0.0.3, 127.0.0.4]
                    max-forwarded-hops: 10
                  - name: gateway
                    protocol: uwsgi
                    bind: 127.0.0.1:%d
                    trusted-proxies: 127.0.0.1
                apps:
                %s""".formatted(http, uwsgi, GatehouseYaml.jvmApp("environ", "/", EnvironApp.class).indent(2)));
        haproxy = Haproxy.start(dir.resolve("haproxy"), """
                frontend web
                    mode http
                    bind 127.0.0.1:{port}
                    option forwardfor
                    http-request set-header X-Forwarded-Proto https
                    http-request set-header X-Forwarded-Host www.example.org
                    default_backend web
                backend web
                    mode http
                    server gh 127.0.0.1:%d source 127.0.0.3
                """.formatted(http));
        nginx = Nginx.start(dir.resolve("nginx"), """
                location / {
                    proxy_pass http://127.0.0.1:%1$d;
                    proxy_bind 127.0.0.4;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }
                location /gw/ { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:%2$d; }
                """.formatted(http, uwsgi));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {nginx, haproxy, gatehouse}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static EnvironReply ok(EnvironReply reply) {
        assertEquals(200, reply.status(), reply.response());
        return reply;
    }

    @Test
    void honoursHaproxysForwardforProtoAndHost() {
        Map<String, String> env = ok(EnvironReply.get(haproxy.port(), "/")).environ();
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertNull(env.get("REMOTE_PORT"), "the proxy's port is not the client's");
        assertEquals("https", env.get("wsgi.url_scheme"));
        assertEquals("on", env.get("HTTPS"));
        assertEquals("www.example.org", env.get("HTTP_HOST"));
        assertEquals("www.example.org", env.get("SERVER_NAME"));
        assertEquals("443", env.get("SERVER_PORT"));
        assertEquals("127.0.0.3", env.get("gatehouse.orig.REMOTE_ADDR"));
        assertEquals("app.example", env.get("gatehouse.orig.HTTP_HOST"));
        assertEquals("127.0.0.1", env.get("HTTP_X_FORWARDED_FOR"), "the headers stay for the app");
    }

    @Test
    void believesNoAddressTheClientWroteThroughHaproxy() {
        Map<String, String> env = ok(EnvironReply.get(haproxy.port(), "/", "X-Forwarded-For: 203.0.113.66",
                "X-Forwarded-For: 127.0.0.4")).environ();
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals("203.0.113.66, 127.0.0.4, 127.0.0.1", env.get("HTTP_X_FORWARDED_FOR"));
    }

    @Test
    void honoursNginxsProxyAddXForwardedFor() {
        Map<String, String> env = ok(EnvironReply.get(nginx.port(), "/")).environ();
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals("http", env.get("wsgi.url_scheme"));
        assertEquals("127.0.0.4", env.get("gatehouse.orig.REMOTE_ADDR"));
        assertEquals("app.example", env.get("HTTP_HOST"));
    }

    @Test
    void believesNoTrustedHopTheClientPretendsToBeThroughNginx() {
        Map<String, String> env = ok(EnvironReply.get(nginx.port(), "/", "X-Forwarded-For: 203.0.113.66, 127.0.0.3",
                "X-Forwarded-Proto: https")).environ();
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals("203.0.113.66, 127.0.0.3, 127.0.0.1", env.get("HTTP_X_FORWARDED_FOR"));
        assertEquals("http", env.get("wsgi.url_scheme"), "nginx set X-Forwarded-Proto itself");
    }

    @Test
    void ignoresTheHeadersFromAnyOtherPeerAndKeepsThemAsPlainHttpFields() {
        EnvironReply reply = ok(EnvironReply.get(http, "/", "X-Forwarded-For: 203.0.113.66",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example", "Forwarded: for=198.51.100.1"));
        Map<String, String> env = reply.environ();
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals(Integer.toString(reply.localPort()), env.get("REMOTE_PORT"));
        assertEquals("http", env.get("wsgi.url_scheme"));
        assertEquals("app.example", env.get("HTTP_HOST"));
        assertEquals("203.0.113.66", env.get("HTTP_X_FORWARDED_FOR"));
        assertEquals("https", env.get("HTTP_X_FORWARDED_PROTO"));
        assertEquals("evil.example", env.get("HTTP_X_FORWARDED_HOST"));
        assertEquals("for=198.51.100.1", env.get("HTTP_FORWARDED"));
        assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("gatehouse.orig.")), env.toString());
    }

    @Test
    void trustsTheRemoteAddrAFrontServerSendsOverUwsgi() {
        Map<String, String> env = ok(EnvironReply.get(nginx.port(), "/gw/x", "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-Proto: https")).environ();
        assertEquals("203.0.113.9", env.get("REMOTE_ADDR"));
        assertEquals("https", env.get("wsgi.url_scheme"));
        assertEquals("127.0.0.1", env.get("gatehouse.orig.REMOTE_ADDR"));
        assertEquals("uwsgi", env.get("gatehouse.protocol"));
    }

    @Test
    void ignoresAChainOverMaxForwardedHopsWithOneLogLine() {
        String chain = String.join(", ", Collections.nCopies(11, "203.0.113.66"));
        Map<String, String> env = ok(EnvironReply.get(haproxy.port(), "/", "X-Forwarded-For: " + chain)).environ();
        assertEquals("127.0.0.3", env.get("REMOTE_ADDR"), "nothing of the headers applied");
        assertEquals("http", env.get("wsgi.url_scheme"));
        Await.until("the log line", Duration.ofSeconds(10),
                () -> gatehouse.output().contains("X-Forwarded-For of 12 hops, over max-forwarded-hops 10"));
        assertTrue(gatehouse.output().contains("[web] 127.0.0.3: X-Forwarded-For of 12 hops"), gatehouse.output());
    }
}
