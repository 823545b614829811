package io.gatehouse.spi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import org.junit.jupiter.api.Test;

class CgiVarsTest {

    private static Environ env(String... pairs) {
        Environ env = new Environ();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static Environ completed(String... pairs) {
        Environ env = env(pairs);
        CgiVars.complete(env);
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
    void refusesMissingOrEmptyRequestMethod() {
        assertThrows(ProtocolException.class, () -> completed("PATH_INFO", "/"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> completed("REQUEST_METHOD", ""));
        assertEquals("missing REQUEST_METHOD", e.getMessage());
    }

    @Test
    void keepsTheFrontServersSplitAsGiven() {
        Environ env = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/app", "PATH_INFO", "/x",
                "REQUEST_URI", "/app/x?q=1", "QUERY_STRING", "q=1", "SERVER_NAME", "example.org", "SERVER_PORT",
                "8080", "SERVER_PROTOCOL", "HTTP/1.0");
        assertEquals("/app", env.get("SCRIPT_NAME"));
        assertEquals("/x", env.get("PATH_INFO"));
        assertEquals("q=1", env.get("QUERY_STRING"));
        assertEquals("example.org", env.get("SERVER_NAME"));
        assertEquals("8080", env.get("SERVER_PORT"));
        assertEquals("HTTP/1.0", env.get("SERVER_PROTOCOL"));
        assertEquals("http", env.get("wsgi.url_scheme"));
    }

    @Test
    void fillsPathInfoFromDocumentUriThenRequestUri() {
        assertEquals("/s/caf\u00c3\u00a9", completed("REQUEST_METHOD", "GET", "DOCUMENT_URI", "/s/caf\u00c3\u00a9",
                "REQUEST_URI", "/other").get("PATH_INFO"));
        Environ env = completed("REQUEST_METHOD", "GET", "REQUEST_URI", "/a%20b/caf%C3%A9?x=%41");
        assertEquals("/a b/caf\u00c3\u00a9", env.get("PATH_INFO"));
        assertEquals("x=%41", env.get("QUERY_STRING"));
        assertEquals("", env.get("SCRIPT_NAME"));
        assertEquals("", completed("REQUEST_METHOD", "GET").get("PATH_INFO"));
    }

    @Test
    void derivesPathInfoBelowScriptNameWhenOnlyTheWholePathIsKnown() {
        // Apache mod_proxy_scgi: the whole path in SCRIPT_NAME, no PATH_INFO
        Environ apache = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/s/app/x", "REQUEST_URI", "/s/app/x");
        assertEquals("/s/app/x", apache.get("SCRIPT_NAME"));
        assertEquals("", apache.get("PATH_INFO"));
        Environ below = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/app", "REQUEST_URI", "/app/x/y");
        assertEquals("/x/y", below.get("PATH_INFO"));
    }

    @Test
    void dropsARepeatedScriptNameWhenPathInfoIsTheWholePath() {
        Environ env = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/app", "PATH_INFO", "/app/x",
                "REQUEST_URI", "/app/x?q=1");
        assertEquals("/app", env.get("SCRIPT_NAME"));
        assertEquals("/x", env.get("PATH_INFO"));
    }

    @Test
    void keepsARepeatWhenTheRequestedPathReallyRepeatsIt() {
        Environ env = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/app", "PATH_INFO", "/app/x",
                "REQUEST_URI", "/app/app/x");
        assertEquals("/app/x", env.get("PATH_INFO"));
        Environ prefixOnly = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/app", "PATH_INFO", "/apple",
                "REQUEST_URI", "/apple");
        assertEquals("/apple", prefixOnly.get("PATH_INFO"));
    }

    @Test
    void trimsATrailingSlashOfScriptNameBeforeAPathInfo() {
        Environ env = completed("REQUEST_METHOD", "GET", "SCRIPT_NAME", "/", "PATH_INFO", "/x");
        assertEquals("", env.get("SCRIPT_NAME"));
        assertEquals("/x", env.get("PATH_INFO"));
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
        assertEquals("https", completed("REQUEST_METHOD", "GET", "HTTPS", "on").get("wsgi.url_scheme"));
    }

    @Test
    void fillsServerNameAndPortFromHostWhenMissingOrEmpty() {
        Environ env = completed("REQUEST_METHOD", "GET", "SERVER_NAME", "", "HTTP_HOST", "example.org:8443",
                "HTTPS", "on");
        assertEquals("example.org", env.get("SERVER_NAME"));
        assertEquals("8443", env.get("SERVER_PORT"));
        Environ v6 = completed("REQUEST_METHOD", "GET", "HTTP_HOST", "[::1]");
        assertEquals("[::1]", v6.get("SERVER_NAME"));
        assertEquals("80", v6.get("SERVER_PORT"));
        Environ bare = completed("REQUEST_METHOD", "GET", "HTTPS", "on");
        assertEquals("localhost", bare.get("SERVER_NAME"));
        assertEquals("443", bare.get("SERVER_PORT"));
        assertEquals("HTTP/1.1", bare.get("SERVER_PROTOCOL"));
    }

    @Test
    void dropsTransferEncodingOnlyWhenContentLengthFramesTheBody() {
        Environ framed = completed("REQUEST_METHOD", "POST", "CONTENT_LENGTH", "12",
                "HTTP_TRANSFER_ENCODING", "chunked");
        assertNull(framed.get("HTTP_TRANSFER_ENCODING"));
        Environ streamed = completed("REQUEST_METHOD", "POST", "HTTP_TRANSFER_ENCODING", "chunked");
        assertEquals("chunked", streamed.get("HTTP_TRANSFER_ENCODING"));
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
}
