package io.gatehouse.tests.environ;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The requests the matrix sends through every pair, and the canonical environ each must produce: the one a client's
 * request maps to when nothing stands between it and Gatehouse's HTTP listener. What a front server changes on the
 * way is listed in {@link EnvironDifference}, not here.
 */
enum MatrixRequest {
    GET_QUERY("get?query", "GET", "/get?a=1&b=%20&c=%C3%A9&d", List.of()),
    POST_5MB("post 5MB", "POST", "/post", List.of("Content-Type", "application/octet-stream")),
    CHUNKED_POST("chunked", "POST", "/chunked", List.of("Content-Type", "text/plain; charset=utf-8")),
    HEAD("head", "HEAD", "/head?h=1", List.of()),
    UTF8_PATH("utf-8 path", "GET", "/caf%C3%A9/%E2%82%AC%20x?q=%C3%A9", List.of()),
    ENCODED_SLASH("%2F", "GET", "/a%2Fb/c?x=%2F", List.of()),
    REPEATED_FIELDS("repeated", "GET", "/fields", List.of("X-Forwarded-For", "203.0.113.7",
            "X-Forwarded-For", "198.51.100.9", "Cookie", "a=1", "Cookie", "b=2")),
    MOUNT_SPLIT("mount", "GET", "/app/x/y?z=1", List.of()),
    HTTPS("https", "GET", "/secure?s=1", List.of());

    /** The environ keys the matrix compares, then what the app read of the body. */
    static final List<String> CANONICAL = List.of("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
            "REQUEST_URI", "CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING", "SERVER_PROTOCOL",
            "SERVER_NAME", "SERVER_PORT", "HTTP_HOST", "REMOTE_ADDR", "wsgi.url_scheme", "HTTPS",
            "HTTP_X_FORWARDED_FOR", "HTTP_COOKIE", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "gatehouse.protocol",
            "body.length", "body.sha256");
    /** The mount of the second app: requests under it see SCRIPT_NAME /app. */
    static final String MOUNT = "/app";
    private static final byte[] BODY = random(5_000_000, 13);
    private static final int CHUNK = 65536;
    private static final byte[] CRLF = {'\r', '\n'};

    private final String label;
    private final String method;
    private final String target;
    private final List<String> headers;

    MatrixRequest(String label, String method, String target, List<String> headers) {
        this.label = label;
        this.method = method;
        this.target = target;
        this.headers = headers;
    }

    /** The column heading in the printed matrix. */
    String label() {
        return label;
    }

    /** True when the request has a body. */
    boolean hasBody() {
        return this == POST_5MB || this == CHUNKED_POST;
    }

    /** True when the request goes to the front server's TLS port. */
    boolean tls() {
        return this == HTTPS;
    }

    /**
     * The request's head as the client writes it: the request line, Host naming {@code hostPort}, X-Matrix-Cell
     * naming the cell, the request's own fields in order (repeated ones as separate lines), the body's framing and
     * {@code Connection: close}.
     */
    byte[] head(String hostPort, String cell) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostPort).append("\r\n")
                .append("User-Agent: gatehouse-environ-matrix\r\n")
                .append("X-Matrix-Cell: ").append(cell).append("\r\n");
        for (int i = 0; i < headers.size(); i += 2) {
            head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        if (this == POST_5MB) {
            head.append("Content-Length: ").append(BODY.length).append("\r\n");
        } else if (this == CHUNKED_POST) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        return head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes the body, if the request has one: whole, or in chunks of 64 KiB for the chunked POST. */
    void writeBody(OutputStream out) throws IOException {
        if (this == POST_5MB) {
            out.write(BODY);
        } else if (this == CHUNKED_POST) {
            for (int at = 0; at < BODY.length; at += CHUNK) {
                int n = Math.min(CHUNK, BODY.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(BODY, at, n);
                out.write(CRLF);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * The canonical environ of this request sent straight to Gatehouse's HTTP listener on {@code port} (the port the
     * client connected to), for {@code protocol}; a null value means the key is absent.
     */
    Map<String, String> canonical(int port, String protocol) {
        Map<String, String> env = new LinkedHashMap<>();
        CANONICAL.forEach(k -> env.put(k, null));
        int q = target.indexOf('?');
        String path = decode(q < 0 ? target : target.substring(0, q));
        boolean mounted = path.startsWith(MOUNT + "/");
        env.put("REQUEST_METHOD", method);
        env.put("SCRIPT_NAME", mounted ? MOUNT : "");
        env.put("PATH_INFO", mounted ? path.substring(MOUNT.length()) : path);
        env.put("QUERY_STRING", q < 0 ? "" : target.substring(q + 1));
        env.put("REQUEST_URI", target);
        boolean body = hasBody();
        for (int i = 0; i < headers.size(); i += 2) {
            String key = headers.get(i).equals("Content-Type") ? "CONTENT_TYPE"
                    : "HTTP_" + headers.get(i).toUpperCase().replace('-', '_');
            String earlier = env.get(key);
            String separator = key.equals("HTTP_COOKIE") ? "; " : ", ";
            env.put(key, earlier == null ? headers.get(i + 1) : earlier + separator + headers.get(i + 1));
        }
        if (this == POST_5MB) {
            env.put("CONTENT_LENGTH", Integer.toString(BODY.length));
        }
        if (this == CHUNKED_POST) {
            env.put("HTTP_TRANSFER_ENCODING", "chunked");
        }
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("SERVER_NAME", "127.0.0.1");
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("HTTP_HOST", "127.0.0.1:" + port);
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("wsgi.url_scheme", tls() ? "https" : "http");
        env.put("HTTPS", tls() ? "on" : null);
        env.put("gatehouse.protocol", protocol);
        env.put("body.length", Integer.toString(body ? BODY.length : 0));
        env.put("body.sha256", sha256(body ? BODY : new byte[0]));
        return env;
    }

    /** Percent-decodes a path byte for byte into a native string (each byte one ISO-8859-1 char), as PEP 3333 wants. */
    private static String decode(String raw) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.append((char) Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
