package io.gatehouse.protocol.fastcgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the byte stream a web server sends: records with nginx's habits (content padded to 8 bytes, PARAMS and
 * STDIN cut at {@code maxRecord} bytes) or Apache's (no padding). Chainable; {@link #bytes()} gives the result.
 */
final class FcgiRequestWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean pad = true;
    private int maxRecord = 65535;

    /** Pads records to 8 bytes as nginx does (the default) or not, as Apache does. */
    FcgiRequestWriter padded(boolean value) {
        this.pad = value;
        return this;
    }

    /** Cuts stream content into records of at most {@code size} bytes (default 65535). */
    FcgiRequestWriter maxRecord(int size) {
        this.maxRecord = size;
        return this;
    }

    /** A whole RESPONDER request: BEGIN_REQUEST, PARAMS, empty PARAMS, STDIN (if any), empty STDIN. */
    FcgiRequestWriter request(int id, boolean keepConn, Map<String, String> params, byte[] body) {
        begin(id, FcgiConstants.ROLE_RESPONDER, keepConn);
        params(id, params);
        stdin(id, body);
        return stdinEnd(id);
    }

    FcgiRequestWriter begin(int id, int role, boolean keepConn) {
        byte[] body = {(byte) (role >> 8), (byte) role, (byte) (keepConn ? FcgiConstants.FLAG_KEEP_CONN : 0),
            0, 0, 0, 0, 0};
        return record(FcgiRecordType.BEGIN_REQUEST.code(), id, body);
    }

    /** The PARAMS stream of {@code params}, then its empty end record. */
    FcgiRequestWriter params(int id, Map<String, String> params) {
        stream(FcgiRecordType.PARAMS, id, pairs(params));
        return record(FcgiRecordType.PARAMS.code(), id, new byte[0]);
    }

    /** STDIN records of {@code body} (none when empty); the end record is {@link #stdinEnd}. */
    FcgiRequestWriter stdin(int id, byte[] body) {
        return stream(FcgiRecordType.STDIN, id, body);
    }

    FcgiRequestWriter stdinEnd(int id) {
        return record(FcgiRecordType.STDIN.code(), id, new byte[0]);
    }

    FcgiRequestWriter abort(int id) {
        return record(FcgiRecordType.ABORT_REQUEST.code(), id, new byte[0]);
    }

    /** FCGI_GET_VALUES asking for {@code names}. */
    FcgiRequestWriter getValues(String... names) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (String name : names) {
            content.writeBytes(pair(name, ""));
        }
        return record(FcgiRecordType.GET_VALUES.code(), 0, content.toByteArray());
    }

    /** Content cut into records of at most {@code maxRecord} bytes. */
    FcgiRequestWriter stream(FcgiRecordType type, int id, byte[] content) {
        for (int i = 0; i < content.length; i += maxRecord) {
            int n = Math.min(maxRecord, content.length - i);
            byte[] part = new byte[n];
            System.arraycopy(content, i, part, 0, n);
            record(type.code(), id, part);
        }
        return this;
    }

    /** One record, exactly as given (any type code, id and content). */
    FcgiRequestWriter record(int type, int id, byte[] content) {
        int padding = pad ? (8 - content.length % 8) % 8 : 0;
        return raw(1, type, id, content, padding);
    }

    /** One record with every header field chosen, including the version. */
    FcgiRequestWriter raw(int version, int type, int id, byte[] content, int padding) {
        out.write(version);
        out.write(type);
        out.write(id >> 8);
        out.write(id);
        out.write(content.length >> 8);
        out.write(content.length);
        out.write(padding);
        out.write(0);
        out.writeBytes(content);
        out.writeBytes(new byte[padding]);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Name-value pairs (section 3.4), with 1-byte lengths below 128 and 4-byte lengths from 128. */
    static byte[] pairs(Map<String, String> params) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        params.forEach((name, value) -> b.writeBytes(pair(name, value)));
        return b.toByteArray();
    }

    static byte[] pair(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeLength(b, n.length);
        writeLength(b, v.length);
        b.writeBytes(n);
        b.writeBytes(v);
        return b.toByteArray();
    }

    static void writeLength(ByteArrayOutputStream b, int length) {
        if (length < 128) {
            b.write(length);
        } else {
            b.write(0x80 | length >>> 24);
            b.write(length >> 16);
            b.write(length >> 8);
            b.write(length);
        }
    }

    /** The params nginx's fastcgi_params sends for {@code method uri}, plus Host. */
    static Map<String, String> nginxParams(String method, String uri, String contentLength) {
        int q = uri.indexOf('?');
        Map<String, String> p = new LinkedHashMap<>();
        p.put("QUERY_STRING", q >= 0 ? uri.substring(q + 1) : "");
        p.put("REQUEST_METHOD", method);
        p.put("CONTENT_TYPE", contentLength.isEmpty() ? "" : "application/octet-stream");
        p.put("CONTENT_LENGTH", contentLength);
        p.put("SCRIPT_NAME", q >= 0 ? uri.substring(0, q) : uri);
        p.put("REQUEST_URI", uri);
        p.put("DOCUMENT_URI", q >= 0 ? uri.substring(0, q) : uri);
        p.put("SERVER_PROTOCOL", "HTTP/1.1");
        p.put("REQUEST_SCHEME", "http");
        p.put("GATEWAY_INTERFACE", "CGI/1.1");
        p.put("SERVER_SOFTWARE", "nginx/1.22.1");
        p.put("REMOTE_ADDR", "192.0.2.7");
        p.put("REMOTE_PORT", "51000");
        p.put("SERVER_ADDR", "127.0.0.1");
        p.put("SERVER_PORT", "8080");
        p.put("SERVER_NAME", "example.org");
        p.put("HTTP_HOST", "example.org:8080");
        return p;
    }
}
