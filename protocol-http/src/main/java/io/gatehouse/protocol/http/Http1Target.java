package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;

/**
 * The request-target (RFC 9112 3.2) in the environ: REQUEST_URI as sent, PATH_INFO percent-decoded byte for byte
 * into a native string (so UTF-8 paths reach the app exactly as PEP 3333 wants), QUERY_STRING raw.
 */
final class Http1Target {
    private Http1Target() {
    }

    static void fill(Environ env, String target, Http1HeadBuilder head) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw Http1HeadBuilder.bad("invalid character in request target");
            }
        }
        String pathAndQuery = target;
        if (!target.startsWith("/")) {
            if (target.equals("*")) {
                pathAndQuery = "*";
            } else {
                int scheme = target.indexOf("://");
                if (scheme <= 0) {
                    throw Http1HeadBuilder.bad("request target is neither a path nor an absolute URI");
                }
                int pathStart = target.indexOf('/', scheme + 3);
                int queryStart = target.indexOf('?', scheme + 3);
                int authorityEnd = pathStart < 0 ? (queryStart < 0 ? target.length() : queryStart)
                        : (queryStart < 0 ? pathStart : Math.min(pathStart, queryStart));
                head.targetHost(target.substring(scheme + 3, authorityEnd));
                pathAndQuery = authorityEnd == target.length() ? "/" : target.charAt(authorityEnd) == '?'
                        ? "/" + target.substring(authorityEnd) : target.substring(authorityEnd);
            }
        }
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        env.put(EnvironKeys.REQUEST_URI, pathAndQuery);
        env.put(EnvironKeys.SCRIPT_NAME, "");
        env.put(EnvironKeys.PATH_INFO, percentDecode(rawPath));
        env.put(EnvironKeys.QUERY_STRING, q < 0 ? "" : pathAndQuery.substring(q + 1));
    }

    /** Decodes %XX escapes to the bytes they stand for, each byte one char (ISO-8859-1); '+' stays '+'. */
    static String percentDecode(String s) {
        int first = s.indexOf('%');
        if (first < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= s.length()) {
                throw Http1HeadBuilder.bad("truncated percent-encoding in path");
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw Http1HeadBuilder.bad("invalid percent-encoding in path");
            }
            out.append((char) (hi << 4 | lo));
            i += 2;
        }
        return out.toString();
    }
}
