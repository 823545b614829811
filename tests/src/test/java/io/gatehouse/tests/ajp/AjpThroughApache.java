package io.gatehouse.tests.ajp;

import static io.gatehouse.tests.support.LogLines.assertLoggedOnce;
import static io.gatehouse.tests.support.LogLines.awaitCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.frontend.AjpTls;
import io.gatehouse.tests.frontend.FrontServerCases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cases every AJP web server must pass beside the common front-server cases: Apache terminates TLS and
 * authenticates users for Gatehouse, the AJP connections are reused, request attributes pass only as
 * allowed-attributes admits, and a wrong secret or a body over the limit is refused with one log line.
 * Subclasses choose the AJP module.
 */
abstract class AjpThroughApache extends FrontServerCases {
    HttpResponse<byte[]> get(String path) throws Exception {
        return send(request(path));
    }

    @Test
    void passesTlsFactsWhenApacheTerminatesTls() throws Exception {
        HttpClient tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .sslContext(AjpTls.in(site.dir().resolve("tls")).clientContext()).build();
        HttpResponse<byte[]> r = tlsClient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + site.tlsPort() + "/app/tls")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), failure(r));
        String env = text(r);
        assertEquals("on", environ(env, "HTTPS"), env);
        assertEquals("https", environ(env, "wsgi.url_scheme"), env);
        assertTrue(environ(env, "SSL_CIPHER").matches("[A-Z0-9_-]+"), env);
        assertTrue(Integer.parseInt(environ(env, "SSL_CIPHER_USEKEYSIZE")) >= 128, env);
        assertTrue(environ(env, "SSL_PROTOCOL").startsWith("TLSv1."), env);
        assertEquals("-----BEGIN CERTIFICATE-----", environ(env, "SSL_CLIENT_CERT"), "the client's PEM: " + env);
        assertEquals(Integer.toString(site.tlsPort()), environ(env, "SERVER_PORT"));
    }

    @Test
    void passesTheUserApacheAuthenticated() throws Exception {
        assertEquals(401, get("/app/private/x").statusCode());
        String credentials = Base64.getEncoder().encodeToString((AjpTls.USER + ":" + AjpTls.PASSWORD)
                .getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> r = send(request("/app/private/x").header("Authorization", "Basic " + credentials));
        assertEquals(200, r.statusCode(), failure(r));
        assertEquals(AjpTls.USER, environ(text(r), "REMOTE_USER"), text(r));
        assertEquals("Basic", environ(text(r), "AUTH_TYPE"), text(r));
    }

    @Test
    void reusesConnectionsAcrossRequests() throws Exception {
        Set<String> connections = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> r = get("/app/reuse/" + i);
            assertEquals(200, r.statusCode(), failure(r));
            connections.add(environ(text(r), "ajp.peer"));
        }
        assertTrue(connections.size() <= 4, "20 requests over " + connections.size() + " AJP connections: "
                + connections);
    }

    @Test
    void keepsTheRequestAttributesAllowedAttributesAdmits() throws Exception {
        HttpResponse<byte[]> r = get("/app/attributes");
        assertEquals(200, r.statusCode(), failure(r));
        assertEquals("acme", environ(text(r), "AJP_ATTR_TENANT"), text(r));
        assertNull(environ(text(r), "AJP_ATTR_OTHER"), "not admitted: " + text(r));
    }

    @Test
    void refusesABodyOverTheLimitWith413WhileItsFirstPacketIsOnItsWay() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = send(request("/small/echo").POST(HttpRequest.BodyPublishers.ofByteArray(
                    new byte[65536])));
            assertEquals(413, r.statusCode(), failure(r));
        }
        awaitCount(gatehouse, "Content-Length 65536 exceeds max-body-size 1024", 3);
    }

    @Test
    void refusesAWrongSecretWith403AndOneLogLine() throws Exception {
        HttpResponse<byte[]> r = get("/wrong/x");
        assertEquals(403, r.statusCode(), failure(r));
        assertLoggedOnce(gatehouse, "403 Forbidden: forward request with a wrong secret");
    }
}
