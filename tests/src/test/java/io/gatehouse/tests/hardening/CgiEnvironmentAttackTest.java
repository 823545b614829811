package io.gatehouse.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.RawUwsgi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The attack that ran a shell command as root: a client speaking uwsgi straight to the listener sends vars named
 * PYTHONWARNINGS and BROWSER to a Python CGI script. Neither, nor any name of its choosing, nor httpoxy's
 * HTTP_PROXY, nor the master's own environment reaches a script.
 */
class CgiEnvironmentAttackTest extends HostileSiteCases {
    /** What a script's environment may hold (docs/runtimes/cgi.md): the request's part, then the computed part. */
    static final Set<String> ALLOWED = Set.of("REQUEST_METHOD", "REQUEST_URI", "QUERY_STRING", "SERVER_PROTOCOL",
            "REQUEST_SCHEME", "REMOTE_ADDR", "REMOTE_PORT", "SERVER_NAME", "SERVER_PORT", "SERVER_ADDR",
            "SERVER_SOFTWARE", "CONTENT_LENGTH", "CONTENT_TYPE", "HTTPS", "AUTH_TYPE", "REMOTE_USER",
            "GATEWAY_INTERFACE", "SCRIPT_NAME", "PATH_INFO", "SCRIPT_FILENAME", "DOCUMENT_ROOT", "PATH_TRANSLATED",
            "REDIRECT_STATUS", "PATH",
            "LC_CTYPE"); // not ours: Python sets it in its own environment when the locale is C (PEP 538)

    /** The names of the environment env.py printed, asserting its 200 first. */
    static Set<String> names(String response) {
        assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        return Arrays.stream(body.split("\n")).filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theUwsgiVarsThatRanAShellCommandReachNoScript() throws Exception {
        Path marker = dir.resolve("pwned");
        String response = site.uwsgi(RawUwsgi.get("/cgi/env.py")
                .var("PYTHONWARNINGS", "all:0:antigravity.x:0:0")
                .var("BROWSER", "/bin/sh -c \"touch " + marker + "\" #%s")
                .var("LD_PRELOAD", "/tmp/evil.so").var("PATH", "/tmp/evil").var("PYTHONPATH", "/tmp/evil")
                .var("BASH_ENV", "/tmp/evil").var("IFS", "/").var("SCRIPT_FILENAME", "/etc/passwd")
                .var("HTTP_X_FINE", "kept"));
        Set<String> names = names(response);
        assertTrue(names.contains("HTTP_X_FINE") && names.contains("HTTP_HOST"), names.toString());
        names.removeIf(n -> n.startsWith("HTTP_"));
        assertTrue(ALLOWED.containsAll(names), "not on the allow-list: " + names);
        assertTrue(response.contains("\nPATH=/usr/local/bin:/usr/bin:/bin\n"), response);
        assertTrue(response.contains("\nSCRIPT_FILENAME=" + dir.resolve("cgi-bin/env.py").toRealPath() + "\n"),
                response);
        Thread.sleep(500); // a browser the script's Python started would have run by now
        assertFalse(Files.exists(marker), "BROWSER ran");
    }

    @Test
    void httpoxyReachesNoScriptOverHttpOrUwsgi() {
        Set<String> overHttp = names(site.http("/cgi/env.py", "Proxy: http://evil:3128\r\nX-Fine: kept\r\n"));
        assertTrue(overHttp.contains("HTTP_X_FINE"), overHttp.toString());
        assertFalse(overHttp.contains("HTTP_PROXY"), overHttp.toString());
        Set<String> overUwsgi = names(site.uwsgi(RawUwsgi.get("/cgi/env.py").var("HTTP_PROXY", "http://evil:3128")));
        assertFalse(overUwsgi.contains("HTTP_PROXY"), overUwsgi.toString());
    }

    @Test
    void theMastersOwnEnvironmentStaysOut() {
        Set<String> names = names(site.http("/cgi/env.py", ""));
        List<String> leaked = System.getenv().keySet().stream()
                .filter(n -> names.contains(n) && !n.equals("PATH") && !n.equals("LC_CTYPE")).toList();
        assertEquals(List.of(), leaked, "the test JVM's environment is the master's too");
    }
}
