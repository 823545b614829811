package io.gatehouse.runtime.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allow-list of a script's environment: what a request may set, what it never may, and what else gets in. */
class CgiEnvironmentTest {
    static final CgiScripts.Target TARGET = new CgiScripts.Target(Path.of("/srv/cgi-bin/app.py"), "/cgi/app.py",
            "/x/y", List.of("/usr/bin/python3", "/srv/cgi-bin/app.py"));

    @ParameterizedTest
    @ValueSource(strings = {"AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "QUERY_STRING", "REMOTE_ADDR",
        "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER", "REQUEST_METHOD", "SERVER_NAME", "SERVER_PORT",
        "SERVER_PROTOCOL", "SERVER_SOFTWARE", "REQUEST_URI", "REQUEST_SCHEME", "HTTPS", "REMOTE_PORT", "SERVER_ADDR",
        "HTTP_HOST", "HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_COOKIE", "HTTP_X_A1_B2", "HTTP_PROXY_AUTHORIZATION"})
    void aRequestMaySetItsMetaVariablesAndHeaderFields(String name) {
        assertTrue(CgiEnvironment.allowed(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_PROXY", "PYTHONWARNINGS", "BROWSER", "LD_PRELOAD", "LD_LIBRARY_PATH", "PATH",
        "PYTHONPATH", "PYTHONSTARTUP", "PYTHONINSPECT", "PERL5OPT", "PERL5LIB", "RUBYOPT", "NODE_OPTIONS",
        "BASH_ENV", "ENV", "IFS", "SHELLOPTS", "PS4", "BASH_FUNC_x%%", "HOME", "TMPDIR", "http_proxy",
        "HTTPS_PROXY", "GATEWAY_INTERFACE", "SCRIPT_NAME", "PATH_INFO", "PATH_TRANSLATED", "SCRIPT_FILENAME",
        "DOCUMENT_ROOT", "REDIRECT_STATUS", "HTTP_", "HTTP_x", "HTTP_A-B", "HTTP_A=B", "HTTP_A B", "UWSGI_SCHEME",
        "wsgi.url_scheme", "gatehouse.listener", "DOCUMENT_URI", ""})
    void aRequestNeverSetsAnythingElse(String name) {
        assertFalse(CgiEnvironment.allowed(name), name);
    }

    @Test
    void theEnvironmentIsTheAllowListConfiguredVariablesAndPathNothingElse() throws Exception {
        Environ request = new Environ();
        request.put("REQUEST_METHOD", "GET");
        request.put("QUERY_STRING", "a=1");
        request.put("HTTP_HOST", "example.org");
        request.put("HTTP_PROXY", "http://evil:3128");
        request.put("PYTHONWARNINGS", "all:0:antigravity.x:0:0");
        request.put("BROWSER", "/bin/sh -c 'touch /tmp/pwned' #%s");
        request.put("LD_PRELOAD", "/tmp/evil.so");
        request.put("PATH", "/tmp/evil");
        request.put("SCRIPT_FILENAME", "/etc/passwd");
        request.put("PATH_TRANSLATED", "/etc/passwd");
        request.put("DOCUMENT_ROOT", "/");
        request.put("GATEWAY_INTERFACE", "CGI/0.9");
        request.put("wsgi.url_scheme", "http");
        Map<String, String> env = new TreeMap<>(new CgiEnvironment(Map.of("APP_ENV", "production"))
                .of(request, TARGET, Path.of("/srv/cgi-bin")));
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("REQUEST_METHOD", "GET"), Map.entry("QUERY_STRING", "a=1"),
                Map.entry("HTTP_HOST", "example.org"), Map.entry("APP_ENV", "production"),
                Map.entry("PATH", CgiEnvironment.PATH), Map.entry("SERVER_SOFTWARE", "Gatehouse"),
                Map.entry("GATEWAY_INTERFACE", "CGI/1.1"), Map.entry("SCRIPT_NAME", "/cgi/app.py"),
                Map.entry("PATH_INFO", "/x/y"), Map.entry("SCRIPT_FILENAME", "/srv/cgi-bin/app.py"),
                Map.entry("DOCUMENT_ROOT", "/srv/cgi-bin"), Map.entry("PATH_TRANSLATED", "/srv/cgi-bin/x/y"),
                Map.entry("REDIRECT_STATUS", "200"))), env);
    }

    @Test
    void theMastersOwnEnvironmentStaysOut() throws Exception {
        Map<String, String> env = new CgiEnvironment(Map.of()).of(new Environ(), TARGET, null);
        Set<String> master = System.getenv().keySet();
        assertTrue(master.stream().noneMatch(name -> env.containsKey(name) && !name.equals("PATH")),
                "from the master: " + env.keySet());
        assertEquals(CgiEnvironment.PATH, env.get("PATH"), "a fixed PATH, not the master's");
        assertFalse(env.containsKey("DOCUMENT_ROOT"), "one script: no root");
        assertFalse(env.containsKey("PATH_TRANSLATED"));
    }

    @Test
    void theAppsEnvSetsPathAndWinsOverNothingARequestSends() throws Exception {
        Environ request = new Environ();
        request.put("HTTP_X_TOKEN", "from the request");
        Map<String, String> env = new CgiEnvironment(Map.of("PATH", "/opt/app/bin:/usr/bin", "LANG", "C.UTF-8",
                "HTTP_X_TOKEN", "configured")).of(request, TARGET, null);
        assertEquals("/opt/app/bin:/usr/bin", env.get("PATH"));
        assertEquals("C.UTF-8", env.get("LANG"));
        assertEquals("from the request", env.get("HTTP_X_TOKEN"), "a header field is the request's to give");
    }

    @Test
    void valuesCarryTheRequestsBytesAndANulIsRefused() throws Exception {
        Environ request = new Environ();
        request.put("HTTP_X_NAME", "caf\u00c3\u00a9");
        assertEquals("caf\u00e9", new CgiEnvironment(Map.of()).of(request, TARGET, null).get("HTTP_X_NAME"));
        request.put("HTTP_X_NUL", "a\0b");
        CgiEnvironment.NulException e = assertThrows(CgiEnvironment.NulException.class,
                () -> new CgiEnvironment(Map.of()).of(request, TARGET, null));
        assertEquals("the meta-variable HTTP_X_NUL holds a NUL byte", e.getMessage());
    }
}
