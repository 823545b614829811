package io.gatehouse.protocol.scgi;

import io.gatehouse.spi.protocol.CgiVars;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds SCGI requests the way nginx's scgi module writes them (CONTENT_LENGTH first), for tests. */
final class ScgiRequestWriter {
    private final List<String[]> vars = new ArrayList<>();
    private byte[] body = new byte[0];

    /** Only CONTENT_LENGTH (0) and nothing else. */
    static ScgiRequestWriter empty() {
        return new ScgiRequestWriter().var("CONTENT_LENGTH", "0");
    }

    /** What nginx sends with Debian's scgi_params for {@code method} and {@code uri} (origin-form, raw). */
    static ScgiRequestWriter nginx(String method, String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return empty()
                .var("REQUEST_METHOD", method)
                .var("REQUEST_URI", uri)
                .var("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1))
                .var("CONTENT_TYPE", "")
                .var("DOCUMENT_URI", CgiVars.decodePath(path))
                .var("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .var("SCGI", "1")
                .var("SERVER_PROTOCOL", "HTTP/1.1")
                .var("REQUEST_SCHEME", "http")
                .var("REMOTE_ADDR", "192.0.2.7")
                .var("REMOTE_PORT", "51000")
                .var("SERVER_PORT", "80")
                .var("SERVER_NAME", "example.org")
                .var("HTTP_HOST", "example.org");
    }

    /** Adds a var (native strings: each char one byte). */
    ScgiRequestWriter var(String key, String value) {
        vars.add(new String[] {key, value});
        return this;
    }

    /** Replaces every var named {@code key} by one with {@code value} in the first one's place, or adds it. */
    ScgiRequestWriter set(String key, String value) {
        for (String[] v : vars) {
            if (v[0].equals(key)) {
                v[1] = value;
                vars.removeIf(o -> o != v && o[0].equals(key));
                return this;
            }
        }
        return var(key, value);
    }

    /** Removes every var named {@code key}. */
    ScgiRequestWriter remove(String key) {
        vars.removeIf(v -> v[0].equals(key));
        return this;
    }

    /** The body, with CONTENT_LENGTH set to its length. */
    ScgiRequestWriter body(byte[] body) {
        this.body = body;
        return set("CONTENT_LENGTH", Integer.toString(body.length));
    }

    /** Size of the headers block (the netstring's length). */
    int varsSize() {
        return vars().length;
    }

    /** The whole request: netstring, then body. */
    byte[] bytes() {
        byte[] block = vars();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((block.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(block);
        out.write(',');
        out.writeBytes(body);
        return out.toByteArray();
    }

    private byte[] vars() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] v : vars) {
            out.writeBytes(v[0].getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
            out.writeBytes(v[1].getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        return out.toByteArray();
    }
}
