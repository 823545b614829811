package io.gatehouse.tests.proxies;

import io.gatehouse.tests.support.RawHttp;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request over a fresh connection to a Gatehouse running the example EnvironApp (directly or through a
 * proxy), the answer read to its end (10 s at most), and the environ's {@code KEY=value} lines. The client's own
 * port tells whether the app saw the client or the proxy.
 *
 * @param response  everything read
 * @param localPort the client socket's port
 */
record EnvironReply(String response, int localPort) {

    /** GETs {@code path} from {@code host}:{@code port} with {@code fields} ("Name: value" lines) and Host. */
    static EnvironReply get(String host, int port, String path, String... fields) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: app.example\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        RawHttp.Reply reply = RawHttp.send(new InetSocketAddress(host, port),
                request.toString().getBytes(StandardCharsets.ISO_8859_1));
        return new EnvironReply(reply.text(), reply.localPort());
    }

    /** As {@link #get(String, int, String, String...)} on 127.0.0.1. */
    static EnvironReply get(int port, String path, String... fields) {
        return get("127.0.0.1", port, path, fields);
    }

    /** The status code, or 0 when nothing came back. */
    int status() {
        return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : 0;
    }

    /** The environ the app printed. */
    Map<String, String> environ() {
        Map<String, String> env = new LinkedHashMap<>();
        int body = response.indexOf("\r\n\r\n");
        for (String line : response.substring(body < 0 ? response.length() : body + 4).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** One environ key, or null. */
    String get(String key) {
        return environ().get(key);
    }
}
