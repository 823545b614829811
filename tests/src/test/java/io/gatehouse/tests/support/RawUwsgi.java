package io.gatehouse.tests.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client that speaks uwsgi straight to a listener, as an attacker who bypasses the front server can: any vars, in
 * any order, with any names. Values are native strings (bytes as ISO-8859-1).
 */
public final class RawUwsgi {
    private final Map<String, String> vars = new LinkedHashMap<>();

    private RawUwsgi() {
    }

    /** The vars nginx's uwsgi_params sends for a GET of {@code path} (PATH_INFO given as is: already decoded). */
    public static RawUwsgi get(String path) {
        int q = path.indexOf('?');
        return new RawUwsgi().var("REQUEST_METHOD", "GET").var("REQUEST_URI", path)
                .var("QUERY_STRING", q < 0 ? "" : path.substring(q + 1))
                .var("PATH_INFO", q < 0 ? path : path.substring(0, q))
                .var("SERVER_PROTOCOL", "HTTP/1.1").var("REQUEST_SCHEME", "http").var("REMOTE_ADDR", "127.0.0.1")
                .var("REMOTE_PORT", "40000").var("SERVER_NAME", "localhost").var("SERVER_PORT", "80")
                .var("HTTP_HOST", "localhost");
    }

    /** Sets (or adds) one var. */
    public RawUwsgi var(String name, String value) {
        vars.put(name, value);
        return this;
    }

    /** Removes one var. */
    public RawUwsgi without(String name) {
        vars.remove(name);
        return this;
    }

    /** The packet: modifier1 0, the vars block's size (u16 LE), modifier2 0, then each var as u16 LE length + bytes. */
    public byte[] packet() {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        vars.forEach((k, v) -> {
            writeString(block, k);
            writeString(block, v);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(block.size() & 0xff);
        out.write(block.size() >> 8);
        out.write(0);
        out.writeBytes(block.toByteArray());
        return out.toByteArray();
    }

    /** Sends the packet to 127.0.0.1:{@code port} and returns everything read until EOF or 10 s of silence. */
    public String exchange(int port) {
        return RawHttp.exchange(port, packet());
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(bytes.length & 0xff);
        out.write(bytes.length >> 8);
        out.writeBytes(bytes);
    }
}
