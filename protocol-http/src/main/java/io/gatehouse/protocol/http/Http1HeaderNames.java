package io.gatehouse.protocol.http;

import io.gatehouse.app.EnvironKeys;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environ keys of common request header names, found straight from the wire bytes (case-insensitively) so
 * that the usual fields cost no key String per request, and the fields the listener itself interprets are
 * recognised by their exact names only: {@code Content_Length} is never taken for {@code Content-Length}.
 */
final class Http1HeaderNames {

    /** What a field means to the listener beyond its environ value. */
    enum Role { PLAIN, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING, HOST, EXPECT, CONNECTION, COOKIE, DROP }

    /** A known field name: its lower-case bytes, environ key, role, and a bit of its own for "seen" masks. */
    record Name(byte[] lower, String key, Role role, long bit) {
    }

    private static final int MASK = 255;
    private static final Name[] TABLE = new Name[MASK + 1];
    private static final Map<String, Name> BY_KEY = new HashMap<>();
    private static int count;

    static {
        add("Content-Length", Role.CONTENT_LENGTH, EnvironKeys.CONTENT_LENGTH);
        add("Content-Type", Role.CONTENT_TYPE, EnvironKeys.CONTENT_TYPE);
        add("Transfer-Encoding", Role.TRANSFER_ENCODING, null);
        add("Host", Role.HOST, EnvironKeys.HTTP_HOST);
        add("Expect", Role.EXPECT, null);
        add("Connection", Role.CONNECTION, null);
        add("Cookie", Role.COOKIE, null);
        // httpoxy (CVE-2016-5385): HTTP_PROXY would pose as the proxy setting of CGI scripts and their libraries.
        add("Proxy", Role.DROP, null);
        for (String name : new String[] {"User-Agent", "Accept", "Accept-Encoding", "Accept-Language",
            "Accept-Charset", "Keep-Alive", "Content-Encoding", "TE", "Trailer", "Referer", "Origin",
            "Authorization", "Cache-Control", "Pragma", "Upgrade", "Upgrade-Insecure-Requests", "If-Modified-Since",
            "If-None-Match", "If-Match", "If-Unmodified-Since", "If-Range", "Range", "Via", "Forwarded",
            "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-IP",
            "X-Request-ID", "X-Requested-With", "X-CSRFToken", "DNT", "Priority", "Sec-Fetch-Site",
            "Sec-Fetch-Mode", "Sec-Fetch-User", "Sec-Fetch-Dest", "Sec-CH-UA", "Sec-CH-UA-Mobile",
            "Sec-CH-UA-Platform", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Access-Control-Request-Method",
            "Access-Control-Request-Headers"}) {
            add(name, Role.PLAIN, null);
        }
    }

    private Http1HeaderNames() {
    }

    /** The known name spelled (in any case) by bytes [start, end), or null. */
    static Name find(byte[] line, int start, int end) {
        int length = end - start;
        int h = length;
        for (int i = start; i < end; i++) {
            h = 31 * h + lower(line[i]);
        }
        for (int slot = h & MASK; ; slot = (slot + 1) & MASK) {
            Name n = TABLE[slot];
            if (n == null) {
                return null;
            }
            if (n.lower.length == length && sameLower(line, start, n.lower)) {
                return n;
            }
        }
    }

    /** The known name whose environ key is {@code key} (another spelling, such as X_Forwarded_For), or null. */
    static Name byKey(String key) {
        return BY_KEY.get(key);
    }

    /** The environ key of a field name: HTTP_ and the name upper-cased with '-' as '_' (RFC 3875 4.1.18). */
    static String keyOf(String name) {
        return "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static void add(String name, Role role, String key) {
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        int h = lower.length;
        for (byte b : lower) {
            h = 31 * h + b;
        }
        int slot = h & MASK;
        while (TABLE[slot] != null) {
            slot = (slot + 1) & MASK;
        }
        if (count == Long.SIZE) {
            throw new IllegalStateException("more known names than bits in a long");
        }
        Name n = new Name(lower, key != null ? key : keyOf(name), role, 1L << count++);
        TABLE[slot] = n;
        BY_KEY.put(n.key, n);
    }

    private static boolean sameLower(byte[] line, int start, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            if (lower(line[start + i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}
