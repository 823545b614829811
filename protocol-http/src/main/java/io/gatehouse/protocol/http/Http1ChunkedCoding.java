package io.gatehouse.protocol.http;

/**
 * The parts of the chunked coding (RFC 9112 7.1) that carry no body bytes: chunk extensions and trailer fields.
 * Both are checked to the letter of the grammar and then ignored; a lenient parser here is one that a front server
 * and this listener could disagree with about where a chunk ends.
 */
final class Http1ChunkedCoding {
    private Http1ChunkedCoding() {
    }

    /**
     * {@code *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )} in bytes [i, end): names are tokens,
     * values tokens or quoted strings. Whitespace that leads nowhere (after the size, at the end) is refused.
     */
    static void checkExtensions(byte[] line, int i, int end) {
        while (i < end) {
            i = skipBws(line, i, end);
            if (i == end || line[i] != ';') {
                throw Http1HeadBuilder.bad("invalid chunk extension");
            }
            i = token(line, skipBws(line, i + 1, end), end, "chunk extension name");
            int next = skipBws(line, i, end);
            if (next < end && line[next] == '=') {
                i = skipBws(line, next + 1, end);
                i = i < end && line[i] == '"' ? quotedString(line, i, end)
                        : token(line, i, end, "chunk extension value");
            }
        }
    }

    /** {@code field-name ":" OWS field-value OWS} of one trailer line in bytes [start, end). */
    static void checkTrailerLine(byte[] line, int start, int end) {
        int colon = token(line, start, end, "trailer field name");
        if (colon == end || line[colon] != ':') {
            throw Http1HeadBuilder.bad("invalid trailer field line");
        }
        for (int i = colon + 1; i < end; i++) {
            if (Http1Constants.isInvalidFieldByte(line[i])) {
                throw Http1HeadBuilder.bad("control character in trailer field value");
            }
        }
    }

    /** End of the token starting at {@code i}; at least one tchar is required. */
    private static int token(byte[] line, int i, int end, String what) {
        int start = i;
        while (i < end && Http1Constants.isTchar(line[i])) {
            i++;
        }
        if (i == start) {
            throw Http1HeadBuilder.bad("invalid " + what);
        }
        return i;
    }

    /** End of the quoted-string opening at {@code i} (RFC 9110 5.6.4). */
    private static int quotedString(byte[] line, int i, int end) {
        for (i++; i < end; i++) {
            byte b = line[i];
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i++;
                if (i == end) {
                    break;
                }
                b = line[i];
            }
            if (Http1Constants.isInvalidFieldByte(b)) {
                throw Http1HeadBuilder.bad("control character in chunk extension");
            }
        }
        throw Http1HeadBuilder.bad("unterminated quoted string in chunk extension");
    }

    private static int skipBws(byte[] line, int i, int end) {
        while (i < end && (line[i] == Http1Constants.SP || line[i] == Http1Constants.HTAB)) {
            i++;
        }
        return i;
    }
}
