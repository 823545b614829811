package io.gatehouse.protocol.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds request bytes the way curl or a proxy such as nginx sends them (CRLF lines, Host first), with a body of
 * known length or chunked in the given chunk sizes: the test-side counterpart of the decoder.
 */
final class Http1RequestWriter {
    private final String method;
    private final String target;
    private String version = "HTTP/1.1";
    private final List<String> fields = new ArrayList<>();
    private byte[] body;
    private int[] chunks;

    private Http1RequestWriter(String method, String target) {
        this.method = method;
        this.target = target;
    }

    /** A request with {@code Host: example.com}. */
    static Http1RequestWriter request(String method, String target) {
        return new Http1RequestWriter(method, target).field("Host", "example.com");
    }

    Http1RequestWriter version(String v) {
        this.version = v;
        return this;
    }

    Http1RequestWriter field(String name, String value) {
        fields.add(name + ": " + value);
        return this;
    }

    /** A body sent with Content-Length. */
    Http1RequestWriter body(byte[] bytes) {
        this.body = bytes;
        this.chunks = null;
        return field("Content-Length", Integer.toString(bytes.length));
    }

    /** A body sent chunked, cut into chunks of the given sizes (which must add up to its length). */
    Http1RequestWriter chunked(byte[] bytes, int... sizes) {
        this.body = bytes;
        this.chunks = sizes;
        return field("Transfer-Encoding", "chunked");
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + " " + version + "\r\n");
        for (String f : fields) {
            write(out, f + "\r\n");
        }
        write(out, "\r\n");
        if (body != null && chunks == null) {
            out.writeBytes(body);
        } else if (chunks != null) {
            int at = 0;
            for (int size : chunks) {
                write(out, Integer.toHexString(size) + "\r\n");
                out.write(body, at, size);
                at += size;
                write(out, "\r\n");
            }
            write(out, "0\r\n\r\n");
        }
        return out.toByteArray();
    }

    String text() {
        return new String(bytes(), StandardCharsets.ISO_8859_1);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
