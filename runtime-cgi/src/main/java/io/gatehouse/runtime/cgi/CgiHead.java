package io.gatehouse.runtime.cgi;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.EnvironHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A script's header block (RFC 3875 section 6.3): fields up to an empty line, with {@code Status} giving the status
 * and {@code Location} alone meaning a redirect. Lines end with LF or CRLF; the block is at most 64 KiB. What is not
 * a header block at all is {@link MalformedException} (502: the gateway got nonsense); a line folded onto the one
 * before (obs-fold) is {@link RefusedException} (500, as every runtime answers a head that could split the
 * response); the fields themselves are checked where every app's are, when the head is sent.
 */
record CgiHead(int status, String reason, Headers headers, long contentLength) {
    static final int MAX_HEAD_BYTES = 64 * 1024;

    /** The script's output cannot be a CGI response. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** The script's header block could smuggle a field into the response (a continuation line). */
    static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** Reads the header block; null if the output ended before it did. */
    static CgiHead read(InputStream in) throws IOException {
        Headers headers = new Headers();
        int status = -1; // none given
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
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // obs-fold: trimmed and taken as a field of its own, its text would become a field of the response
                throw new RefusedException("a continuation line (obs-fold)" + (headers.size() == 0 ? ""
                        : " after " + headers.name(headers.size() - 1)));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("not a header field: '" + line + "'");
            }
            String name = trimSpace(line.substring(0, colon));
            String value = trimSpace(line.substring(colon + 1));
            if (name.equalsIgnoreCase("Status")) {
                int space = value.indexOf(' ');
                status = statusCode(space < 0 ? value : value.substring(0, space));
                reason = space < 0 ? null : value.substring(space + 1);
            } else {
                headers.add(name, value);
            }
        }
        if (status < 0) {
            status = headers.contains("Location") ? 302 : 200;
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

    /** {@code s} without the spaces and tabs around it (HTTP's OWS), its other characters kept to be checked. */
    private static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** The digits of a Status field as a number; whether it is a valid status is checked with the other fields. */
    private static int statusCode(String digits) throws MalformedException {
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedException("bad Status '" + digits + "'");
        }
        return Integer.parseInt(digits);
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
