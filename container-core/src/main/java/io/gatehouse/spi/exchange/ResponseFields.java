package io.gatehouse.spi.exchange;

import io.gatehouse.app.Headers;

/**
 * The one check of what an app puts in a response head, made before any listener's encoder sees it: a final status
 * (RFC 9110 section 15: 200..599 here, as 1xx are interim), field names that are tokens (section 5.1), and field
 * values and a reason phrase of visible characters, spaces, tabs and obs-text (sections 5.5 and RFC 9112 4). A CR,
 * LF or NUL in any of them would let the app (or a client whose input it echoes) split the response in two, or
 * smuggle fields past the front server; every other control character is refused with them, as gunicorn does.
 */
public final class ResponseFields {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private ResponseFields() {
    }

    /** What is wrong with this status, reason phrase (null: the standard one) and fields, or null if nothing is. */
    public static String problem(int status, String reason, Headers headers) {
        if (status < 200 || status > 599) {
            return "status " + status + " is not a final status (expected 200..599)";
        }
        String bad = reason == null ? null : badCharacter(reason);
        if (bad != null) {
            return "the reason phrase contains " + bad;
        }
        if (headers == null) {
            return null;
        }
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name == null || !isToken(name)) {
                return "header field name " + quote(name) + " is not a token";
            }
            String value = headers.value(i);
            if (value == null) {
                return "header field " + name + " has no value";
            }
            bad = badCharacter(value);
            if (bad != null) {
                return "the value of header field " + name + " contains " + bad;
            }
        }
        return null;
    }

    /** True if {@code name} is a non-empty RFC 9110 token. */
    public static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** The first character a field value may not hold, named; null if there is none. */
    private static String badCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return (c == '\r' ? "CR" : c == '\n' ? "LF" : c == 0 ? "NUL" : "control character")
                        + String.format(" (0x%02x) at %d", (int) c, i);
            }
            if (c > 0xff) {
                return String.format("U+%04X at %d, which is not a byte (values are ISO-8859-1)", (int) c, i);
            }
        }
        return null;
    }

    /** {@code s} quoted for a log line, its control characters escaped so the line stays one line. */
    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(s.length() > 100 ? "...'" : "'").toString();
    }
}
