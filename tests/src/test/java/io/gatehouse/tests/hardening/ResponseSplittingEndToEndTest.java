package io.gatehouse.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.Await;
import io.gatehouse.tests.support.RawUwsgi;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An app that echoes a request field into its response head, sent a CR LF by a client speaking uwsgi straight to
 * the listener: every runtime answers 500 and logs a line naming the app; no field is injected. A CGI script writes
 * its header block itself, so a line break it echoes is a line break: what it folds onto the next line (obs-fold) or
 * a CR alone is refused. The static runtime re-encodes what it echoes.
 */
class ResponseSplittingEndToEndTest extends HostileSiteCases {
    static final String INJECTION = "1\r\nX-Injected: yes";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "/cgi/echo.py|obs-fold|app 'scripts': response head refused, answered 500 instead: echo.py (pid",
        "/cgi/echo.py|CR|app 'scripts': response head refused, answered 500 instead: the value of header field X-Echo "
                + "contains CR (0x0d) at 1",
        "/py/|CRLF|ValueError: response header 'X-Echo' has a control character",
        "/jvm/|CRLF|app 'jvm' failed on GET",
    })
    void everyRuntimeAnswers500AndNamesTheApp(String path, String how, String logged) {
        String injection = switch (how) {
            case "obs-fold" -> "1\r\n X-Injected: yes";
            case "CR" -> "1\rX-Injected: yes";
            default -> INJECTION;
        };
        String before = site.log();
        String response = site.uwsgi(RawUwsgi.get(path).var("HTTP_X_ECHO", injection));
        assertTrue(response.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), response);
        assertFalse(response.contains("X-Injected"), response);
        Await.until("the log line", Duration.ofSeconds(5), () -> site.log().substring(before.length())
                .contains(logged));
        assertTrue(site.uwsgi(RawUwsgi.get(path).var("HTTP_X_ECHO", "fine")).contains("\r\nX-Echo: fine\r\n"),
                "the same app with a harmless value");
    }

    @Test
    void theStaticRedirectReEncodesWhatItEchoes() {
        String response = site.uwsgi(RawUwsgi.get("/static/sub").var("QUERY_STRING", INJECTION));
        assertTrue(response.startsWith("HTTP/1.1 301 "), response);
        assertTrue(response.contains("\r\nLocation: /static/sub/?1%0D%0AX-Injected:%20yes\r\n"), response);
        assertFalse(response.contains("\r\nX-Injected"), response);
    }
}
