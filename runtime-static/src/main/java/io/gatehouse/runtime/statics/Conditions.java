package io.gatehouse.runtime.statics;

import io.gatehouse.app.Environ;

/** Conditional request evaluation for static files (RFC 9110 13.2.2): validators before ranges. */
final class Conditions {
    private Conditions() {
    }

    /** True when If-None-Match (or, without it, If-Modified-Since) says the client's copy is current. */
    static boolean notModified(Environ env, String etag, long modifiedMillis) {
        String noneMatch = env.get("HTTP_IF_NONE_MATCH");
        if (noneMatch != null) {
            return matches(noneMatch, etag);
        }
        long since = HttpDates.parse(env.get("HTTP_IF_MODIFIED_SINCE"));
        return since >= 0 && modifiedMillis / 1000 <= since / 1000;
    }

    /** The range to send, null for the whole file, or {@link ByteRange#UNSATISFIABLE}. */
    static ByteRange rangeOf(Environ env, String etag, long modifiedMillis, long size) {
        String range = env.get("HTTP_RANGE");
        if (range == null) {
            return null;
        }
        String ifRange = env.get("HTTP_IF_RANGE");
        if (ifRange != null) {
            boolean current = ifRange.startsWith("\"") ? ifRange.equals(etag)
                    : HttpDates.parse(ifRange) / 1000 == modifiedMillis / 1000;
            if (!current) {
                return null;
            }
        }
        return ByteRange.parse(range, size);
    }

    private static boolean matches(String list, String etag) {
        if (list.trim().equals("*")) {
            return true;
        }
        for (String candidate : list.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
