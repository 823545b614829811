package io.gatehouse.protocol.uwsgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds uwsgi request packets the way nginx's uwsgi module writes them, for tests. */
final class UwsgiRequestWriter {
    private final List<String[]> vars = new ArrayList<>();
    private int modifier1;
    private int modifier2;
    private byte[] body = new byte[0];
    private Integer datasize;

    /** An empty packet: modifier1 0, no vars, no body. */
    static UwsgiRequestWriter empty() {
        return new UwsgiRequestWriter();
    }

    /** The vars nginx sends with Debian's uwsgi_params for {@code method} and {@code uri} (origin-form, raw). */
    static UwsgiRequestWriter nginx(String method, String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return new UwsgiRequestWriter()
                .var("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1))
                .var("REQUEST_METHOD", method)
                .var("CONTENT_TYPE", "")
                .var("CONTENT_LENGTH", "")
                .var("REQUEST_URI", uri)
                .var("PATH_INFO", io.gatehouse.spi.protocol.CgiVars.decodePath(path))
                .var("DOCUMENT_ROOT", "/usr/share/nginx/html")
                .var("SERVER_PROTOCOL", "HTTP/1.1")
                .var("REQUEST_SCHEME", "http")
                .var("REMOTE_ADDR", "192.0.2.7")
                .var("REMOTE_PORT", "51000")
                .var("SERVER_PORT", "80")
                .var("SERVER_NAME", "example.org")
                .var("HTTP_HOST", "example.org");
    }

    /** Adds a var (native strings: each char one byte). */
    UwsgiRequestWriter var(String key, String value) {
        vars.add(new String[] {key, value});
        return this;
    }

    /** Replaces every var named {@code key} by one with {@code value}, or adds it. */
    UwsgiRequestWriter set(String key, String value) {
        vars.removeIf(v -> v[0].equals(key));
        return var(key, value);
    }

    /** Removes every var named {@code key}. */
    UwsgiRequestWriter remove(String key) {
        vars.removeIf(v -> v[0].equals(key));
        return this;
    }

    UwsgiRequestWriter modifiers(int modifier1, int modifier2) {
        this.modifier1 = modifier1;
        this.modifier2 = modifier2;
        return this;
    }

    /** The body, with CONTENT_LENGTH set to its length. */
    UwsgiRequestWriter body(byte[] body) {
        this.body = body;
        return set("CONTENT_LENGTH", Integer.toString(body.length));
    }

    /** Writes {@code n} into the header's datasize instead of the real size of the vars. */
    UwsgiRequestWriter datasize(int n) {
        this.datasize = n;
        return this;
    }

    /** Size of the vars block as written. */
    int varsSize() {
        return vars().length;
    }

    /** The whole packet: header, vars, body. */
    byte[] bytes() {
        byte[] block = vars();
        int size = datasize != null ? datasize : block.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(modifier1);
        out.write(size & 0xff);
        out.write(size >> 8 & 0xff);
        out.write(modifier2);
        out.writeBytes(block);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private byte[] vars() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] v : vars) {
            for (String s : v) {
                byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                out.write(b.length & 0xff);
                out.write(b.length >> 8 & 0xff);
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }
}
