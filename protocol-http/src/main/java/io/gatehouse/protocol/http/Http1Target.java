package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.protocol.CgiVars;

/**
 * The request-target (RFC 9112 3.2) in the environ: REQUEST_URI as sent (path and query), PATH_INFO
 * percent-decoded byte for byte into a native string (so UTF-8 paths reach the app exactly as PEP 3333 wants) and
 * without dot segments (the router matches mounts on it, so {@code /public/../admin} must not reach /public),
 * QUERY_STRING raw. Also the syntax check of a Host value or an absolute-form authority (RFC 3986 3.2).
 */
final class Http1Target {
    /** sub-delims, unreserved punctuation and '%' of a reg-name (RFC 3986 3.2.2). */
    private static final String REG_NAME_PUNCTUATION = "-._~!$&'()*+,;=%";

    private Http1Target() {
    }

    /**
     * Fills the target's keys. Returns the authority of an absolute-form target ({@code http://host/path}),
     * which replaces the Host header (RFC 9112 3.2.2), or null for the origin and asterisk forms.
     */
    static String fill(Environ env, String target, String method) {
        String authority = null;
        String pathAndQuery = target;
        if (target.charAt(0) != '/') {
            if (target.equals("*")) {
                if (!method.equals("OPTIONS")) {
                    throw Http1HeadBuilder.bad("asterisk-form target with method " + method);
                }
                env.append(EnvironKeys.REQUEST_URI, "*");
                env.append(EnvironKeys.SCRIPT_NAME, "");
                env.append(EnvironKeys.PATH_INFO, "");
                env.append(EnvironKeys.QUERY_STRING, "");
                return null;
            }
            int authorityStart = schemeEnd(target);
            int authorityEnd = authorityStart;
            while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/'
                    && target.charAt(authorityEnd) != '?') {
                authorityEnd++;
            }
            authority = target.substring(authorityStart, authorityEnd);
            if (authority.isEmpty() || !isValidHost(authority)) {
                throw Http1HeadBuilder.bad("invalid authority in absolute-form target");
            }
            pathAndQuery = authorityEnd == target.length() ? "/" : target.charAt(authorityEnd) == '?'
                    ? "/" + target.substring(authorityEnd) : target.substring(authorityEnd);
        }
        int q = pathAndQuery.indexOf('?');
        env.append(EnvironKeys.REQUEST_URI, pathAndQuery);
        env.append(EnvironKeys.SCRIPT_NAME, "");
        env.append(EnvironKeys.PATH_INFO, CgiVars.decodeRequestPath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)));
        env.append(EnvironKeys.QUERY_STRING, q < 0 ? "" : pathAndQuery.substring(q + 1));
        return authority;
    }

    /** Index just past {@code http://} or {@code https://} (any case); anything else is not a target we serve. */
    private static int schemeEnd(String target) {
        int colon = target.indexOf(':');
        String scheme = colon < 0 ? "" : target.substring(0, colon);
        if (!(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || !target.startsWith("//", colon + 1)) {
            throw Http1HeadBuilder.bad("request target is neither a path nor an http(s) absolute URI");
        }
        return colon + 3;
    }

    /**
     * True for {@code host [":" port]} where host is a reg-name, an IPv4 address or a bracketed IPv6 literal; no
     * userinfo (RFC 9110 4.2.4 makes it an error), no spaces, slashes or anything that would mislead routing.
     */
    static boolean isValidHost(String value) {
        int i = 0;
        int n = value.length();
        if (n > 0 && value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 3) {
                return false;
            }
            for (i = 1; i < close; i++) {
                char c = value.charAt(i);
                if (Http1Constants.hexValue((byte) c) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            i = close + 1;
        } else {
            for (; i < n && value.charAt(i) != ':'; i++) {
                char c = value.charAt(i);
                boolean alnum = c < 0x80 && Character.isLetterOrDigit(c);
                if (!alnum && REG_NAME_PUNCTUATION.indexOf(c) < 0) {
                    return false;
                }
            }
        }
        if (i == n) {
            return true;
        }
        if (value.charAt(i) != ':') {
            return false;
        }
        for (i++; i < n; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
