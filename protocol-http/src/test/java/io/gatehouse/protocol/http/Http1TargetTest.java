package io.gatehouse.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.EnvironHead;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request-target's dot segments, as nginx treats them before it picks a location: PATH_INFO (what the router
 * matches mounts on) has them removed and its slashes merged, REQUEST_URI stays as the client sent it, and a path
 * that climbs above / is a 400.
 */
@ExtendWith(LeakCheck.class)
class Http1TargetTest {

    private static EnvironHead decode(String target) {
        return Http1DecoderTest.decodeOne(Http1Options.DEFAULTS, "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/a/./b|/a/b|/a/./b",
        "/a/../b|/b|/a/../b",
        "/public/../admin?x=/../y|/admin|/public/../admin?x=/../y",
        "/a/%2e%2e/b|/b|/a/%2e%2e/b",
        "/a/%2E./b|/b|/a/%2E./b",
        "/a/b/%2E%2E|/a/|/a/b/%2E%2E",
        "//x|/x|//x",
        "/a//b/|/a/b/|/a//b/",
        "/a/b/..|/a/|/a/b/..",
        "/a/..|/|/a/..",
        "/a/.|/a/|/a/.",
        "/a%2F..%2Fb|/b|/a%2F..%2Fb",
        "/.well-known/..hidden/...|/.well-known/..hidden/...|/.well-known/..hidden/...",
        "http://example.org/x/../y?q|/y|/x/../y?q"})
    void removesDotSegmentsFromPathInfoAndKeepsTheRequestUriAsSent(String target, String pathInfo, String uri) {
        EnvironHead head = decode(target);
        assertFalse(head.isFailed(), () -> String.valueOf(head.failure()));
        assertEquals(pathInfo, head.environ().get("PATH_INFO"));
        assertEquals(uri, head.environ().get("REQUEST_URI"));
        assertEquals("", head.environ().get("SCRIPT_NAME"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/..", "/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2E", "/a/..%2F..%2Fetc/passwd", "//..",
        "http://example.org/../x"})
    void refusesAPathThatClimbsAboveTheRootWith400(String target) {
        EnvironHead head = decode(target);
        assertTrue(head.isFailed(), target + " was accepted");
        assertEquals(400, head.failure().fault().status());
        assertEquals("'..' in the path climbs above /", head.failure().getMessage());
    }
}
