package io.gatehouse.protocol.http;

import io.netty.buffer.ByteBuf;

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
    static void checkExtensions(ByteBuf in, int i, int end) {
        while (i < end) {
            i = skipBws(in, i, end);
            if (i == end || in.getByte(i) != ';') {
                throw Http1HeadBuilder.bad("invalid chunk extension");
            }
            i = token(in, skipBws(in, i + 1, end), end, "chunk extension name");
            int next = skipBws(in, i, end);
            if (next < end && in.getByte(next) == '=') {
                i = skipBws(in, next + 1, end);
                i = i < end && in.getByte(i) == '"' ? quotedString(in, i, end)
                        : token(in, i, end, "chunk extension value");
            }
        }
    }

    /** {@code field-name ":" OWS field-value OWS} of one trailer line in bytes [start, end). */
    static void checkTrailerLine(ByteBuf in, int start, int end) {
        int colon = token(in, start, end, "trailer field name");
        if (colon == end || in.getByte(colon) != ':') {
            throw Http1HeadBuilder.bad("invalid trailer field line");
        }
        for (int i = colon + 1; i < end; i++) {
            if (Http1Constants.isInvalidFieldByte(in.getByte(i))) {
                throw Http1HeadBuilder.bad("control character in trailer field value");
            }
        }
    }

    /** End of the token starting at {@code i}; at least one tchar is required. */
    private static int token(ByteBuf in, int i, int end, String what) {
        int start = i;
        while (i < end && Http1Constants.isTchar(in.getByte(i))) {
            i++;
        }
        if (i == start) {
            throw Http1HeadBuilder.bad("invalid " + what);
        }
        return i;
    }

    /** End of the quoted-string opening at {@code i} (RFC 9110 5.6.4). */
    private static int quotedString(ByteBuf in, int i, int end) {
        for (i++; i < end; i++) {
            byte b = in.getByte(i);
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i++;
                if (i == end) {
                    break;
                }
                b = in.getByte(i);
            }
            if (Http1Constants.isInvalidFieldByte(b)) {
                throw Http1HeadBuilder.bad("control character in chunk extension");
            }
        }
        throw Http1HeadBuilder.bad("unterminated quoted string in chunk extension");
    }

    private static int skipBws(ByteBuf in, int i, int end) {
        while (i < end && (in.getByte(i) == Http1Constants.SP || in.getByte(i) == Http1Constants.HTAB)) {
            i++;
        }
        return i;
    }
}
