package io.gatehouse.tests.hardening;

import static io.gatehouse.tests.support.LogLines.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.RawUwsgi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No request reads the file beside the static and CGI roots: not over HTTP with '..', percent-encoded or
 * double-encoded, backslashes or NUL, nor over uwsgi from a client that bypasses the front server and writes
 * SCRIPT_NAME and PATH_INFO itself. Links out of a root get 403; each refusal of a runtime is one log line. Over HTTP
 * the listener removes dot segments before routing, as nginx does, so most '..' paths are /secret.txt, which no app
 * serves (404 from the router, no runtime sees them), or climb above / (400); the runtimes' own refusals are held by
 * the uwsgi cases, whose PATH_INFO is taken as sent.
 */
class PathSafetyEndToEndTest extends HostileSiteCases {
    private static void assertRefused(String response, int status, String what) {
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), what + ":\n" + response);
        assertFalse(response.contains(HostileSite.SECRET), what + ":\n" + response);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource(delimiter = '|', value = {
        "/static/../secret.txt|404|0",
        "/static/sub/../../secret.txt|404|0",
        "/static/%2e%2e/secret.txt|404|0",
        "/static/%2E%2E/%2e%2e/secret.txt|400|0",
        "/static/%252e%252e/secret.txt|404|0",
        "/static/..%2fsecret.txt|404|0",
        "/static/..%5csecret.txt|404|1",
        "/static/..\\secret.txt|404|1",
        "/static/%00/../secret.txt|400|0",
        "/static/link.txt|403|1",
        "/static//..//secret.txt|404|0",
        "/static/sub/../link.txt|403|1",
        "/cgi/../secret.txt|404|0",
        "/cgi/%2e%2e/secret.txt|404|0",
        "/cgi/env.py/../../secret.txt|404|0",
        "/cgi/env.py/../../../secret.txt|400|0",
        "/cgi/link.py|403|1",
    })
    void overHttp(String target, int status, int logged) {
        String before = site.log();
        assertRefused(site.http(target, ""), status, target);
        assertEquals(logged, count(site.log().substring(before.length()), "refused the path"), target);
    }

    @ParameterizedTest(name = "uwsgi SCRIPT_NAME={0} PATH_INFO={1}")
    @CsvSource(delimiter = '|', value = {
        "|/static/../secret.txt|404",
        "/static|/../secret.txt|404",
        "/static/|../secret.txt|404",
        "/static|/sub/../../secret.txt|404",
        "/static|/%2e%2e/secret.txt|404",
        "/static|/..\\secret.txt|404",
        "/static|/link.txt|403",
        "/static|//etc/passwd|404",
        "/cgi|/../secret.txt|404",
        "/cgi|/env.py/../../../etc/passwd|404",
        "/cgi|/link.py|403",
    })
    void overUwsgiStraightToTheListener(String scriptName, String pathInfo, int status) {
        RawUwsgi request = RawUwsgi.get(pathInfo).var("REQUEST_URI", "/innocent").var("DOCUMENT_ROOT", "/");
        if (scriptName != null) {
            request.var("SCRIPT_NAME", scriptName);
        }
        assertRefused(site.uwsgi(request), status, scriptName + pathInfo);
    }

    @ParameterizedTest(name = "uwsgi NUL in {0}")
    @CsvSource({"/static", "/cgi"})
    void aNulInPathInfoOverUwsgiIsRefused(String mount) {
        assertRefused(site.uwsgi(RawUwsgi.get(mount + "/x\0/../../secret.txt")), 404, mount);
    }
}
