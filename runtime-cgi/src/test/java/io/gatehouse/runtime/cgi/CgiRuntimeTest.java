package io.gatehouse.runtime.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgiRuntimeTest {
    @TempDir
    Path dir;
    CgiFixture cgi;

    void script(String name, String body) {
        CgiFixture.script(dir, name, body);
    }

    @BeforeEach
    void start() throws Exception {
        script("hello.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "printf '%s|%s|%s|%s' \"$SCRIPT_NAME\" \"$PATH_INFO\" \"$QUERY_STRING\" \"$HTTP_X_TOKEN\"\n");
        script("echo.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\ncat\n");
        script("missing.sh", "#!/bin/sh\nprintf 'Status: 404 Not Found\\nContent-Type: text/plain\\n\\ngone'\n");
        script("redirect.sh", "#!/bin/sh\nprintf 'Location: /elsewhere\\n\\n'\n");
        script("broken.sh", "#!/bin/sh\necho 'this is not a header block'\n");
        script("crash.sh", "#!/bin/sh\necho oops >&2\nexit 3\n");
        script("slow.sh", "#!/bin/sh\nsleep 30\n");
        script("env.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv\n");
        script("sub/py.py", "import os\nprint('Content-Type: text/plain')\nprint()\nprint(os.environ['PATH_INFO'], end='')\n");
        script("pdeathsig.py", "import ctypes\nsig = ctypes.c_int()\nctypes.CDLL(None).prctl(2, ctypes.byref(sig))\n"
                + "print('Content-Type: text/plain')\nprint()\nprint(sig.value, end='')\n");
        cgi = CgiFixture.start(dir, "");
    }

    @AfterEach
    void stop() {
        cgi.close();
    }

    Answer get(String path, String query) {
        EnvironHead h = Requests.get(path);
        h.environ().put("QUERY_STRING", query);
        h.environ().put("HTTP_X_TOKEN", "t0k");
        h.environ().put("wsgi.url_scheme", "http");
        return cgi.send(h);
    }

    @Test
    void runsTheScriptWithItsMetaVariables() {
        Answer a = get("/cgi/hello.sh/extra/path", "a=1");
        assertEquals(200, a.status());
        assertEquals("text/plain", a.header("Content-Type"));
        assertEquals("/cgi/hello.sh|/extra/path|a=1|t0k", a.text());
    }

    @Test
    void feedsTheBodyToStdin() {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Answer a = cgi.connect().send(Requests.head("POST", "/cgi/echo.sh", data.length),
                new LastBodyChunk(Unpooled.wrappedBuffer(data), 0)).answer();
        assertEquals(200, a.status());
        assertTrue(java.util.Arrays.equals(data, a.body()));
    }

    @Test
    void honoursStatusAndLocation() {
        Answer missing = get("/cgi/missing.sh", "");
        assertEquals(404, missing.status());
        assertEquals("gone", missing.text());
        Answer redirect = get("/cgi/redirect.sh", "");
        assertEquals(302, redirect.status());
        assertEquals("/elsewhere", redirect.header("Location"));
    }

    @Test
    void aScriptThatSpeaksNonsenseOrDiesIsA502() {
        assertEquals(502, get("/cgi/broken.sh", "").status());
        assertEquals(502, get("/cgi/crash.sh", "").status());
    }

    @Test
    void aScriptPastItsTimeoutIsKilled() {
        long t0 = System.nanoTime();
        assertEquals(502, get("/cgi/slow.sh", "").status());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void runsScriptsThroughTheirInterpreter() {
        assertEquals("/x", get("/cgi/sub/py.py/x", "").text());
    }

    @Test
    void answers404ForNoScriptAndNeverLeavesTheRoot() {
        assertEquals(404, get("/cgi/nothing.sh", "").status());
        assertEquals(404, get("/cgi/../t.yaml", "").status());
        assertEquals(404, get("/cgi/sub", "").status());
    }

    @Test
    void aScriptIsKilledWhenTheThreadThatStartedItEndsSoItNeverOutlivesTheMaster() {
        assertEquals("9", get("/cgi/pdeathsig.py", "").text(), "PR_GET_PDEATHSIG: SIGKILL, set by setpriv");
    }

    @Test
    void passesMetaVariablesButNotServerInternals() throws Exception {
        String env = get("/cgi/env.sh", "").text();
        assertTrue(env.contains("GATEWAY_INTERFACE=CGI/1.1"), env);
        assertTrue(env.contains("HTTP_X_TOKEN=t0k"), env);
        assertTrue(!env.contains("wsgi.url_scheme"), env);
        assertTrue(env.contains("SCRIPT_FILENAME=" + dir.resolve("cgi-bin/env.sh").toRealPath() + "\n"), env);
    }
}
