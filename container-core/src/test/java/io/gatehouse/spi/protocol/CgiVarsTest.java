package io.gatehouse.spi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgiVarsTest {

    private static Environ env(String... pairs) {
        Environ env = new Environ();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void readsContentLength() {
        assertEquals(0, CgiVars.contentLength(null));
        assertEquals(0, CgiVars.contentLength(""));
        assertEquals(20_000_000, CgiVars.contentLength("20000000"));
        assertEquals(999_999_999_999_999_999L, CgiVars.contentLength("999999999999999999"));
    }

    @Test
    void refusesContentLengthThatIsNotADecimalNumber() {
        for (String bad : new String[] {"-1", "12a", " 1", "0x10", "1e3", "9999999999999999999"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> CgiVars.contentLength(bad), bad);
            assertEquals(Fault.BAD_REQUEST, e.fault());
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void decidesTheSchemeAsUwsgiDoes() {
        assertEquals("https", CgiVars.urlScheme(env("HTTPS", "on")));
        assertEquals("https", CgiVars.urlScheme(env("HTTPS", "ON")));
        assertEquals("https", CgiVars.urlScheme(env("HTTPS", "1")));
        assertEquals("http", CgiVars.urlScheme(env("HTTPS", "off")));
        assertEquals("https", CgiVars.urlScheme(env("REQUEST_SCHEME", "https")));
        assertEquals("http", CgiVars.urlScheme(env("UWSGI_SCHEME", "http", "HTTPS", "on")));
        assertEquals("https", CgiVars.urlScheme(env("UWSGI_SCHEME", "https", "REQUEST_SCHEME", "http")));
        assertEquals("http", CgiVars.urlScheme(env()));
    }

    @Test
    void decodesPathsLeniently() {
        assertEquals("/caf\u00c3\u00a9", CgiVars.decodePath("/caf%c3%A9"));
        assertEquals("/100%", CgiVars.decodePath("/100%"));
        assertEquals("/%zz/%4", CgiVars.decodePath("/%zz/%4"));
        assertEquals("/a+b", CgiVars.decodePath("/a+b"));
        assertEquals("/%", CgiVars.decodePath("/%25"));
    }

    @Test
    void decodesRequestPathsStrictly() {
        assertEquals("/caf\u00c3\u00a9/\u00ff\u0001", CgiVars.decodeRequestPath("/caf%c3%A9/%FF%01"));
        assertEquals("/a+b", CgiVars.decodeRequestPath("/a+b"));
        assertEquals("/%", CgiVars.decodeRequestPath("/%25"));
        assertEquals("truncated percent-encoding in path",
                assertThrows(ProtocolException.class, () -> CgiVars.decodeRequestPath("/100%")).getMessage());
        assertEquals("truncated percent-encoding in path",
                assertThrows(ProtocolException.class, () -> CgiVars.decodeRequestPath("/%4")).getMessage());
        assertEquals("invalid percent-encoding in path",
                assertThrows(ProtocolException.class, () -> CgiVars.decodeRequestPath("/%zz/")).getMessage());
        ProtocolException nul = assertThrows(ProtocolException.class, () -> CgiVars.decodeRequestPath("/a%00b"));
        assertEquals("percent-encoded NUL in path", nul.getMessage());
        assertEquals(Fault.BAD_REQUEST, nul.fault());
    }

    /** nginx's answers (ngx_http_parse_complex_uri with merge_slashes on) to the same paths, decoded. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/|/", "/a/b|/a/b", "/a/./b|/a/b", "/a/../b|/b", "/a/b/../../c|/c", "/./|/", "/.|/", "/a/.|/a/",
        "/a/..|/", "/a/b/..|/a/", "/a/b/../|/a/", "//x|/x", "/a//b//|/a/b/", "/a//../b|/b", "/a/..//b|/b",
        "/.a/..b/.../b..|/.a/..b/.../b..", "/a./b|/a./b", "/a/%2E%2E/b|/b", "/a/%2E./b|/b", "/a/.%2e|/",
        "/a%2F..%2Fb|/b", "/a%2Fb|/a/b", "/caf%C3%A9/./x|/cafÃ©/x"})
    void removesDotSegmentsAndMergesSlashesAsNginxDoes(String raw, String pathInfo) {
        assertEquals(pathInfo, CgiVars.decodeRequestPath(raw));
    }

    @ParameterizedTest
    @CsvSource({"/..", "/../x", "/a/../..", "/a/../../b", "/%2e%2e/x", "//..//x", "/./../x"})
    void refusesAPathThatClimbsAboveTheRootWith400(String raw) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> CgiVars.decodeRequestPath(raw));
        assertEquals(Fault.BAD_REQUEST, e.fault());
        assertEquals("'..' in the path climbs above /", e.getMessage());
    }

    @Test
    void leavesTheAsteriskFormAndTheLenientDecodingAlone() {
        assertEquals("*", CgiVars.decodeRequestPath("*"));
        assertEquals("/a/../b", CgiVars.decodePath("/a/../b"), "a front server's path is taken as it sent it");
    }
    @Test
    void combinesRepeatedHeaderFieldsAsRfc9110Says() {
        Environ env = new Environ();
        CgiVars.addVar(env, "HTTP_X_FORWARDED_FOR", "a");
        CgiVars.addVar(env, "HTTP_X_FORWARDED_FOR", "b");
        CgiVars.addVar(env, "HTTP_COOKIE", "x=1");
        CgiVars.addVar(env, "HTTP_COOKIE", "y=2");
        assertEquals("a, b", env.get("HTTP_X_FORWARDED_FOR"));
        assertEquals("x=1; y=2", env.get("HTTP_COOKIE"));
    }

    @Test
    void aRepeatedCgiVariableKeepsItsLastValue() {
        Environ env = new Environ();
        CgiVars.addVar(env, "SCRIPT_NAME", "/a");
        CgiVars.addVar(env, "SCRIPT_NAME", "/b");
        assertEquals("/b", env.get("SCRIPT_NAME"));
        assertEquals(1, env.size());
    }
}
