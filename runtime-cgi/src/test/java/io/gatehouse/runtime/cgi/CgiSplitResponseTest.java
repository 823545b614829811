package io.gatehouse.runtime.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A script's header block that could split the response is answered 500 with one line naming the app, as every
 * runtime's is; a block that is not a header block at all stays a 502.
 */
class CgiSplitResponseTest {
    @TempDir
    Path dir;
    CgiFixture cgi;
    LogCapture responses;
    LogCapture requests;

    @BeforeEach
    void start() throws Exception {
        cgi = CgiFixture.start(dir, "");
        responses = LogCapture.responses();
        requests = LogCapture.of(CgiRequest.class);
    }

    @AfterEach
    void stop() {
        requests.close();
        responses.close();
        cgi.close();
    }

    /** Serves a script whose output starts with {@code head} (escapes: \r \n \0 \t \v as in Java) and a body. */
    Answer serve(String head) throws Exception {
        Path script = CgiFixture.script(dir, "head.sh", "#!/bin/sh\ncat head.out\n");
        Files.write(script.resolveSibling("head.out"), (head.replace("\\r", "\r").replace("\\n", "\n")
                .replace("\\0", "\0").replace("\\t", "\t").replace("\\v", "\u000b") + "\nInjected body").getBytes(StandardCharsets.ISO_8859_1));
        return cgi.get("/head.sh");
    }

    List<String> warnings() {
        List<String> all = new ArrayList<>(responses.warnings());
        all.addAll(requests.warnings());
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "CR inside a value|X-A: 1\\rX-Injected: yes\\n|contains CR (0x0d) at 1",
        "NUL in a value|X-A: 1\\0X-Injected\\n|contains NUL (0x00) at 1",
        "a control character in a value|X-A: Injected\\v\\n|control character (0x0b)",
        "a space in a name|X Injected: yes\\n|'X Injected' is not a token",
        "a non-ASCII name|X-\u00cenjected: yes\\n|is not a token",
        "obs-fold|X-A: 1\\n Set-Cookie: Injected=yes\\n|wrote a continuation line (obs-fold) after X-A",
        "obs-fold with a tab|X-A: 1\\n\\tX-Injected: yes\\n|wrote a continuation line (obs-fold) after X-A",
        "obs-fold on the first line|\" X-Injected: yes\\n\"|wrote a continuation line (obs-fold)",
        "CR inside the reason|Status: 200 OK\\rX-Injected: yes\\n|the reason phrase contains CR",
        "status 1000|Status: 1000 Injected\\n|status 1000 is not a final status",
        "status 0|Status: 0 Injected\\n|status 0 is not a final status",
        "status 100|Status: 100 Injected\\n|status 100 is not a final status",
        "status 099|Status: 099\\nX-Injected: yes\\n|status 99 is not a final status",
    })
    void answers500InsteadOfAHeadThatCouldSplitTheResponse(String label, String head, String problem)
            throws Exception {
        Answer a = serve(head);
        assertEquals(500, a.status(), label);
        assertFalse(a.text().contains("Injected") || String.valueOf(a.head()).contains("Injected"), a.toString());
        assertEquals(1, warnings().size(), warnings().toString());
        String line = warnings().get(0);
        assertTrue(line.startsWith("app 'c': response head refused, answered 500 instead: "), line);
        assertTrue(line.contains(problem), line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "no colon|this is not a header\\n|not a header field",
        "a Status that is no number|Status: OK\\n|bad Status 'OK'",
        "a Status of ten digits|Status: 2000000000\\n|bad Status '2000000000'",
    })
    void answers502ToWhatIsNoHeaderBlock(String label, String head, String problem) throws Exception {
        assertEquals(502, serve(head).status(), label);
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains("sent a malformed header block: " + problem), warnings().get(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a tab and obs-text in a value|X-A: a\\tb caf\u00e9\\n|X-A|a\tb caf\u00e9",
        "whitespace before the colon|X-A : v\\n|X-A|v",
        "a reason of its own|Status: 299 Fine\\nX-A: v\\n|X-A|v",
    })
    void passesWhatHttpAllows(String label, String head, String name, String value) throws Exception {
        Answer a = serve(head);
        assertTrue(a.status() == 200 || a.status() == 299, label + ": " + a);
        assertEquals(value, a.header(name));
        assertEquals("Injected body", a.text());
        assertEquals(List.of(), warnings());
    }
}
