package io.gatehouse.core.proxy;

import static io.gatehouse.core.proxy.ForwardedWalkTest.TRUSTED;
import static io.gatehouse.core.proxy.ForwardedWalkTest.applied;
import static io.gatehouse.core.proxy.ForwardedWalkTest.forwarding;
import static io.gatehouse.core.proxy.ForwardedWalkTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.core.testing.LogCapture;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scheme and Host a trusted proxy forwards, the SERVER_NAME and SERVER_PORT that follow from them, which
 * header wins when both kinds are present, the originals kept for the app, and the hop limit.
 */
class ForwardedSchemeHostTest {

    private static String server(Environ env) {
        return env.get("wsgi.url_scheme") + " " + env.getOrDefault("HTTPS", "-") + " " + env.get("HTTP_HOST") + " "
                + env.get("SERVER_NAME") + " " + env.get("SERVER_PORT");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "HTTP_X_FORWARDED_PROTO | https                | https on app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_PROTO | HTTPS                | https on app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_PROTO | ' https '            | https on app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_PROTO | http                 | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_PROTO | ftp                  | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_PROTO | https;x              | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_PROTO | http, https          | https on app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | www.example.org      | http - www.example.org www.example.org 80",
        "HTTP_X_FORWARDED_HOST  | www.example.org:8443 | http - www.example.org:8443 www.example.org 8443",
        "HTTP_X_FORWARDED_HOST  | [2001:db8::1]:8443   | http - [2001:db8::1]:8443 [2001:db8::1] 8443",
        "HTTP_X_FORWARDED_HOST  | [2001:db8::1]        | http - [2001:db8::1] [2001:db8::1] 80",
        "HTTP_X_FORWARDED_HOST  | a.example, b.example | http - b.example b.example 80",
        "HTTP_X_FORWARDED_HOST  | evil/x               | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | user@evil            | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | evil:65536           | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | evil:                | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | [::1                 | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | [1.2.3.4]            | http - app.internal:8080 app.internal 8080",
        "HTTP_X_FORWARDED_HOST  | :80                  | http - app.internal:8080 app.internal 8080",
        "HTTP_FORWARDED         | proto=https;host=www.example.org | https on www.example.org www.example.org 443",
        "HTTP_FORWARDED         | for=203.0.113.7;proto=HTTPS;host=\"www.example.org:8443\" "
                + "| https on www.example.org:8443 www.example.org 8443",
        "HTTP_FORWARDED         | for=203.0.113.7;host=bad/host  | http - app.internal:8080 app.internal 8080",
        "HTTP_FORWARDED         | for=203.0.113.7;proto=gopher   | http - app.internal:8080 app.internal 8080",
    })
    void appliesTheSchemeAndHostOfATrustedProxy(String key, String value, String expected) {
        assertEquals(expected, server(applied("127.0.0.1", key, value)));
    }

    @Test
    void givesTheSchemesDefaultPortWhenTheHostNamesNone() {
        Environ env = applied("127.0.0.1", "HTTP_X_FORWARDED_PROTO", "https", "HTTP_X_FORWARDED_HOST", "example.org");
        assertEquals("https on example.org example.org 443", server(env));
    }

    @Test
    void readsProtoAndHostListsThatLineUpWithTheAddressesAtTheClientsHop() {
        // each proxy appended its own: the outer one saw https from the client, the inner one http from the outer
        Environ env = applied("127.0.0.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7, 10.0.0.2",
                "HTTP_X_FORWARDED_PROTO", "https, http", "HTTP_X_FORWARDED_HOST", "www.example.org, lb.internal");
        assertEquals("203.0.113.7", env.get("REMOTE_ADDR"));
        assertEquals("https on www.example.org www.example.org 443", server(env));
        // one value for a longer chain: the nearest proxy set or passed it on, and it stands for the client's hop
        Environ single = applied("127.0.0.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7, 10.0.0.2",
                "HTTP_X_FORWARDED_PROTO", "https");
        assertEquals("https on app.internal:8080 app.internal 8080", server(single));
    }

    @Test
    void takesEachForwardedElementsOwnProtoAndHost() {
        Environ env = applied("127.0.0.1", "HTTP_FORWARDED",
                "for=198.51.100.1;proto=http;host=spoofed.example, for=203.0.113.7;proto=https;host=www.example.org, "
                        + "for=10.0.0.2;proto=http;host=lb.internal");
        assertEquals("203.0.113.7", env.get("REMOTE_ADDR"));
        assertEquals("https on www.example.org www.example.org 443", server(env));
    }

    @Test
    void letsXForwardedWinWhenBothKindsArePresent() {
        Environ env = applied("127.0.0.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7",
                "HTTP_FORWARDED", "for=198.51.100.9;proto=https;host=other.example");
        assertEquals("203.0.113.7", env.get("REMOTE_ADDR"));
        assertEquals("http - app.internal:8080 app.internal 8080", server(env));
        assertEquals("for=198.51.100.9;proto=https;host=other.example", env.get("HTTP_FORWARDED"));
        Environ protoOnly = applied("127.0.0.1", "HTTP_X_FORWARDED_PROTO", "https", "HTTP_FORWARDED", "for=1.2.3.4");
        assertEquals("127.0.0.1", protoOnly.get("REMOTE_ADDR"), "any X-Forwarded-* field puts Forwarded aside");
    }

    @Test
    void keepsEveryReplacedValueAndMarksAddedOnesEmpty() {
        Environ env = applied("127.0.0.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7:4711",
                "HTTP_X_FORWARDED_PROTO", "https", "HTTP_X_FORWARDED_HOST", "www.example.org",
                "REQUEST_SCHEME", "http");
        assertEquals("203.0.113.7", env.get("REMOTE_ADDR"));
        assertEquals("4711", env.get("REMOTE_PORT"));
        assertEquals("https", env.get("REQUEST_SCHEME"));
        assertEquals("127.0.0.1 5555 http  app.internal:8080 app.internal 8080 http", String.join(" ",
                env.get("gatehouse.orig.REMOTE_ADDR"), env.get("gatehouse.orig.REMOTE_PORT"),
                env.get("gatehouse.orig.wsgi.url_scheme"), env.get("gatehouse.orig.HTTPS"),
                env.get("gatehouse.orig.HTTP_HOST"), env.get("gatehouse.orig.SERVER_NAME"),
                env.get("gatehouse.orig.SERVER_PORT"), env.get("gatehouse.orig.REQUEST_SCHEME")));
        assertEquals("www.example.org", env.get("HTTP_X_FORWARDED_HOST"), "the fields stay for the app as they came");
    }

    @Test
    void dropsHttpsWhenTheClientUsedPlainHttp() {
        Environ env = applied("127.0.0.1", "HTTPS", "on", "HTTP_X_FORWARDED_PROTO", "http");
        assertEquals("http", env.get("wsgi.url_scheme"));
        assertNull(env.get("HTTPS"));
        assertEquals("on", env.get("gatehouse.orig.HTTPS"));
    }

    @Test
    void appliesAChainOfExactlyMaxHopsAndIgnoresOneMoreWithOneLogLine() {
        List<String> trusted = List.of("127.0.0.1", "10.0.0.0/8");
        String three = "203.0.113.7, 10.0.0.3, 10.0.0.2";
        try (LogCapture log = LogCapture.of(ForwardedHeaders.class)) {
            Environ atLimit = request("127.0.0.1", "HTTP_X_FORWARDED_FOR", three);
            forwarding(trusted, 3).apply(atLimit);
            assertEquals("203.0.113.7", atLimit.get("REMOTE_ADDR"));
            assertEquals(List.of(), log.warnings());

            Environ over = request("127.0.0.1", "HTTP_X_FORWARDED_FOR", "198.51.100.1, " + three,
                    "HTTP_X_FORWARDED_PROTO", "https");
            forwarding(trusted, 3).apply(over);
            assertEquals("127.0.0.1", over.get("REMOTE_ADDR"));
            assertEquals("http", over.get("wsgi.url_scheme"));
            assertEquals(List.of("[test] 127.0.0.1: X-Forwarded-For of 4 hops, over max-forwarded-hops 3; the "
                    + "request's forwarding headers are ignored"), log.warnings());
        }
    }

    @Test
    void ignoresAHeaderOverItsSizeUnreadWithOneLogLine() {
        String big = "for=\"" + "x".repeat(3 * ForwardedHeaders.BYTES_PER_HOP) + "\", for=203.0.113.7";
        try (LogCapture log = LogCapture.of(ForwardedHeaders.class)) {
            Environ env = request("127.0.0.1", "HTTP_FORWARDED", big);
            forwarding(TRUSTED, 3).apply(env);
            assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
            assertEquals(List.of("[test] 127.0.0.1: Forwarded of " + big.length() + " bytes, over 256 per hop of "
                    + "max-forwarded-hops 3; the request's forwarding headers are ignored"), log.warnings());
        }
    }

    @Test
    void countsHopsOutsideQuotedStringsOnly() {
        assertEquals(2, ForwardedChain.count("for=\"a,b,c\", for=x"));
        assertEquals(3, ForwardedChain.count("a, b,c"));
        assertEquals(List.of("a", "b"), ForwardedChain.split(" a ,, b ,"));
        assertEquals(Collections.emptyList(), ForwardedChain.split(null));
    }

    @Test
    void readsNoHostThatIsNotOne() {
        for (String host : List.of("example.org", "EXAMPLE.org:1", "a_b.example", "[::1]:65535", "10.0.0.1:80")) {
            assertTrue(ForwardedHeaders.isHost(host), host);
        }
        for (String host : List.of("", "a b", "a/b", "a:b", "a:", "[]", "[::1]x", "a@b", "é.example", "a:123456",
                "x".repeat(256))) {
            assertFalse(ForwardedHeaders.isHost(host), host);
        }
    }
}
