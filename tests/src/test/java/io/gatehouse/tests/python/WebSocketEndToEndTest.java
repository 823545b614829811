package io.gatehouse.tests.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.LoggedProcess;
import io.gatehouse.tests.support.Nginx;
import io.gatehouse.tests.support.RawHttp;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * WebSockets end to end with Debian's python3-websockets as the client: Starlette's and FastAPI's routes and a Django
 * Channels consumer (echo with text, binary, fragments, a large message and a ping; broadcast to a room), directly
 * and behind nginx proxy_pass with the Upgrade and Connection headers; the refusals (an app that closes before
 * accepting: 403; a WSGI app: 400 with the reason); a worker killed with SIGKILL closes its sockets with 1011.
 */
class WebSocketEndToEndTest extends PythonServerCase {
    private Nginx nginx;

    @Override
    String apps() {
        return PythonApps.app("ws", "/", PythonApps.module("websocket_app:app", "workers: 1\ninterface: asgi"))
                + PythonApps.app("channels", "/channels", PythonApps.module("channels_app:application",
                "workers: 1\ninterface: asgi"))
                + PythonApps.app("flask", "/wsgi", PythonApps.module("flask_app:app", "workers: 1"));
    }

    private String url(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    private String viaNginx(String path) {
        if (nginx == null) {
            nginx = Nginx.start(dir.resolve("nginx"), """
                    location / {
                        proxy_pass http://127.0.0.1:%d;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection "upgrade";
                        proxy_read_timeout 60s;
                    }
                    """.formatted(port));
        }
        return "ws://127.0.0.1:" + nginx.port() + path;
    }

    @AfterAll
    void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void starletteEchoesTextBinaryFragmentsAndLargeMessages() {
        assertEquals(WebSocketClient.ECHOED, WebSocketClient.run("echo", url("/echo")));
    }

    @Test
    void starletteEchoesBehindNginxProxyPass() {
        assertEquals(WebSocketClient.ECHOED, WebSocketClient.run("echo", viaNginx("/echo")));
    }

    @Test
    void fastApiRouteEchoesJson() {
        assertEquals("{\"echo\": {\"n\": 42}}\n", WebSocketClient.run("json", url("/api/echo")));
    }

    @Test
    void starletteBroadcastsToEveryMemberOfTheRoom() {
        assertEquals("joined 5\nheard 5\n", WebSocketClient.run("broadcast", url("/room"), "5"));
    }

    @Test
    void starletteBroadcastsBehindNginx() {
        assertEquals("joined 3\nheard 3\n", WebSocketClient.run("broadcast", viaNginx("/room"), "3"));
    }

    @Test
    void channelsConsumerEchoes() {
        assertEquals(WebSocketClient.ECHOED, WebSocketClient.run("echo", url("/channels/echo")));
    }

    @Test
    void channelsGroupBroadcasts() {
        assertEquals("joined 4\nheard 4\n", WebSocketClient.run("broadcast", url("/channels/room"), "4"));
    }

    @Test
    void channelsConsumerEchoesBehindNginx() {
        assertEquals(WebSocketClient.ECHOED, WebSocketClient.run("echo", viaNginx("/channels/echo")));
    }

    @Test
    void aCloseBeforeAcceptIsRefusedWith403() {
        assertEquals("status 403\n", WebSocketClient.run("refused", url("/refuse")));
    }

    @Test
    void aWsgiAppRefusesWith400AndSaysWhy() throws Exception {
        assertEquals("status 400\n", WebSocketClient.run("refused", url("/wsgi/")));
        String answer = RawHttp.exchange(port, "GET /wsgi/ HTTP/1.1\r\nHost: x\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("app 'flask' is a WSGI app: it does not accept WebSocket connections"), answer);
    }

    @Test
    void aWorkerKilledWithNineClosesItsSocketsWith1011() throws Exception {
        Process holder = WebSocketClient.start("hold", url("/pid"), "3", "30");
        try {
            BufferedReader out = holder.inputReader(StandardCharsets.UTF_8);
            String[] ready = out.readLine().split(" ");
            assertEquals("3", ready[1]);
            LoggedProcess.signal(Long.parseLong(ready[2]), "KILL");
            assertEquals(List.of("closed 1011", "closed 1011", "closed 1011"), out.lines().toList());
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        } finally {
            holder.destroyForcibly();
        }
        // the pool replaced the worker: sockets work again
        assertEquals(WebSocketClient.ECHOED, WebSocketClient.run("echo", url("/echo")));
    }

    @Test
    void plainHttpStillWorksBesideTheSockets() {
        assertTrue(PythonApps.get(port, "/plain").body().startsWith("plain "));
    }
}
