package io.gatehouse.protocol.http;

import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * A response head as an HTTP/2 HEADERS block (RFC 9113 8.3.2): {@code :status}, the app's fields with lower-case
 * names, less the connection-specific ones HTTP/2 forbids (RFC 9113 8.2.2: Connection, Keep-Alive,
 * Proxy-Connection, Transfer-Encoding, Upgrade, and TE), which are dropped rather than sent; {@code date} unless the
 * app set one; {@code content-length} when the length is known, as over HTTP/1.1.
 */
final class Http2ResponseHeaders {
    private static final AsciiString DATE = AsciiString.cached("date");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");

    private Http2ResponseHeaders() {
    }

    /** The HEADERS of {@code head}. */
    static Http2Headers of(ResponseHead head) {
        Headers fields = head.headers();
        // no validation here: ChannelResponse has held every field to ResponseFields, the same rules as Netty's
        Http2Headers out = new DefaultHttp2Headers(false, false, fields.size() + 3);
        out.status(AsciiString.of(Integer.toString(head.status())));
        boolean date = false;
        String declared = null;
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.name(i);
            switch (Http1HeadWriter.owned(name)) {
                case NO -> out.add(AsciiString.of(name).toLowerCase(), fields.value(i));
                case DATE -> {
                    date = true;
                    out.add(DATE, fields.value(i));
                }
                case CONTENT_LENGTH -> declared = declared == null ? fields.value(i).trim() : "";
                default -> {
                    // connection-specific: HTTP/2 forbids it, and the listener frames the body itself
                }
            }
        }
        if (!date) {
            byte[] line = Http1HeadWriter.dateLine();
            out.add(DATE, new AsciiString(line, 6, line.length - 8, false));
        }
        long declaredLength = declared == null ? -1 : Http1Encoder.decimal(declared);
        long length = head.contentLength() >= 0 ? head.contentLength() : declaredLength;
        int status = head.status();
        long field = -1;
        if (head.bodyless()) {
            // as over HTTP/1.1: HEAD keeps the GET's length, 304 only the app's own, 204 and 1xx none
            if (status == 304) {
                field = declaredLength;
            } else if (status >= 200 && status != 204 && (declaredLength >= 0 || length > 0)) {
                field = length;
            }
        } else {
            field = length;
        }
        if (field >= 0) {
            out.set(CONTENT_LENGTH, Long.toString(field));
        }
        return out;
    }
}
