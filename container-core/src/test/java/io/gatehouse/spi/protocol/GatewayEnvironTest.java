package io.gatehouse.spi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.VarsReport;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayEnvironTest {

    private static Environ env(String... pairs) {
        Environ env = new Environ();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static Environ completed(String... pairs) {
        Environ env = env(pairs);
        GatewayEnviron.complete(env, null);
        return env;
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
    void fillsServerNameAndPortFromHostWhenMissingOrEmpty() {
        Environ env = completed("REQUEST_METHOD", "GET", "SERVER_NAME", "", "HTTP_HOST", "example.org:8443",
                "HTTPS", "on");
        assertEquals("example.org", env.get("SERVER_NAME"));
        assertEquals("8443", env.get("SERVER_PORT"));
        Environ v6 = completed("REQUEST_METHOD", "GET", "HTTP_HOST", "[::1]");
        assertEquals("[::1]", v6.get("SERVER_NAME"));
        assertEquals("80", v6.get("SERVER_PORT"));
        Environ unix = completed("REQUEST_METHOD", "GET", "HTTPS", "on");
        assertEquals("localhost", unix.get("SERVER_NAME"));
        assertEquals("443", unix.get("SERVER_PORT"));
    }

    @Test
    void fillsServerNameAndPortFromTheListenerWithoutAHost() {
        Environ env = env("REQUEST_METHOD", "GET", "PATH_INFO", "/", "QUERY_STRING", "", "SERVER_PROTOCOL",
                "HTTP/1.1");
        VarsReport report = GatewayEnviron.complete(env, new InetSocketAddress("127.0.0.1", 3031));
        assertEquals("127.0.0.1", env.get("SERVER_NAME"));
        assertEquals("3031", env.get("SERVER_PORT"));
        assertEquals(List.of("SERVER_NAME=127.0.0.1", "SERVER_PORT=3031"), report.defaulted());
    }

    @Test
    void givesAMinimalConfigUwsgisDefaultsAndReportsThem() {
        Environ env = env("HTTP_HOST", "example.org");
        VarsReport report = GatewayEnviron.complete(env, null);
        assertEquals("GET", env.get("REQUEST_METHOD"));
        assertEquals("", env.get("PATH_INFO"));
        assertEquals("", env.get("QUERY_STRING"));
        assertEquals("HTTP/1.0", env.get("SERVER_PROTOCOL"));
        assertEquals(List.of("REQUEST_METHOD=GET", "PATH_INFO=", "QUERY_STRING=", "SERVER_PROTOCOL=HTTP/1.0",
                "SERVER_NAME=example.org", "SERVER_PORT=80"), report.defaulted());
        assertTrue(report.ignored().isEmpty());
    }

    @Test
    void reportsNothingForAFullSetOfParams() {
        Environ env = env("REQUEST_METHOD", "GET", "REQUEST_URI", "/x?y", "PATH_INFO", "/x", "QUERY_STRING", "y",
                "SERVER_PROTOCOL", "HTTP/1.1", "SERVER_NAME", "s", "SERVER_PORT", "80");
        assertSame(VarsReport.NONE, GatewayEnviron.complete(env, null));
    }

    @Test
    void keepsOnlyTheCanonicalContentFieldsAndNoTransferEncoding() {
        Environ env = completed("REQUEST_METHOD", "POST", "CONTENT_TYPE", "text/plain", "CONTENT_LENGTH", "12",
                "HTTP_CONTENT_TYPE", "text/plain", "HTTP_CONTENT_LENGTH", "12", "HTTP_TRANSFER_ENCODING", "chunked");
        assertEquals("text/plain", env.get("CONTENT_TYPE"));
        assertEquals("12", env.get("CONTENT_LENGTH"));
        assertNull(env.get("HTTP_CONTENT_TYPE"));
        assertNull(env.get("HTTP_CONTENT_LENGTH"));
        assertNull(env.get("HTTP_TRANSFER_ENCODING"));
        Environ minimal = completed("REQUEST_METHOD", "POST", "HTTP_CONTENT_TYPE", "application/json");
        assertEquals("application/json", minimal.get("CONTENT_TYPE"), "a header field stands in for a missing param");
        assertNull(minimal.get("HTTP_CONTENT_TYPE"));
        Environ streamed = completed("REQUEST_METHOD", "POST", "HTTP_TRANSFER_ENCODING", "chunked");
        assertNull(streamed.get("HTTP_TRANSFER_ENCODING"), "the front server has removed the chunked coding");
    }

    @Test
    void reportsUwsgiMagicVariablesWithoutObeyingThem() {
        Environ env = completed("REQUEST_METHOD", "GET", "UWSGI_CHDIR", "/tmp", "UWSGI_SETENV", "A=1",
                "UWSGI_SCHEME", "https");
        VarsReport report = GatewayEnviron.complete(env, null);
        assertEquals(List.of("UWSGI_CHDIR", "UWSGI_SETENV"), report.ignored());
        assertEquals("https", env.get("wsgi.url_scheme"), "UWSGI_SCHEME only sets the scheme, as in uWSGI");
        assertEquals("/tmp", env.get("UWSGI_CHDIR"));
    }
}
