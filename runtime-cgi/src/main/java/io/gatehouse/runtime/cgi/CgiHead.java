package io.gatehouse.runtime.cgi;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.EnvironHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A script's header block (RFC 3875 section 6.3): fields up to an empty line, with {@code Status} giving the status
 * and {@code Location} alone meaning a redirect. Lines end with LF or CRLF; the block is at most 64 KiB.
 */
record CgiHead(int status, String reason, Headers headers, long contentLength) {
    static final int MAX_HEAD_BYTES = 64 * 1024;

    /** The script's output cannot be a CGI response. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** Reads the header block; null if the output ended before it did. */
    static CgiHead read(InputStream in) throws IOException {
        Headers headers = new Headers();
        int status = 0;
        String reason = null;
        int total = 0;
        while (true) {
            String line = readLine(in, MAX_HEAD_BYTES - total);
            if (line == null) {
                return null;
            }
            total += line.length() + 1;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("not a header field: '" + line + "'");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                try {
                    status = Integer.parseInt(value.length() >= 3 ? value.substring(0, 3) : value);
                } catch (NumberFormatException e) {
                    throw new MalformedException("bad Status '" + value + "'");
                }
                reason = value.length() > 4 ? value.substring(4) : null;
            } else {
                headers.add(name, value);
            }
        }
        if (status == 0) {
            status = headers.contains("Location") ? 302 : 200;
        }
        if (status < 100 || status > 999) {
            throw new MalformedException("bad Status " + status);
        }
        String length = headers.get("Content-Length");
        long contentLength = EnvironHead.UNKNOWN_LENGTH;
        if (length != null) {
            try {
                contentLength = Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new MalformedException("bad Content-Length '" + length + "'");
            }
        }
        return new CgiHead(status, reason, headers, contentLength);
    }

    private static String readLine(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= limit) {
                throw new MalformedException("header block over " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
    }
}
