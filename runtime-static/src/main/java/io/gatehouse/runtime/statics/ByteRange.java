package io.gatehouse.runtime.statics;

/** One satisfiable byte range of a file, inclusive at both ends (RFC 9110 14.1.2). */
record ByteRange(long first, long last) {
    /** A range header that no byte of the file satisfies: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return last - first + 1;
    }

    /**
     * The single range of a {@code Range: bytes=...} value against a file of {@code size} bytes; null when the
     * header is absent, malformed or asks for several ranges (then the whole file is sent, as RFC 9110 allows).
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    return UNSATISFIABLE;
                }
                return size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return null;
            }
            return first >= size ? UNSATISFIABLE : new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
