package io.gatehouse.protocol.scgi;

import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.protocol.CloseDelimitedEncoder;
import io.gatehouse.spi.protocol.ResponseHeadWriter;
import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes an SCGI response, which is a CGI response (RFC 3875 6): a {@code Status:} field, the header fields, a
 * blank line, then the body bytes, ended by the close of the connection.
 */
final class ScgiEncoder extends CloseDelimitedEncoder {
    /** Hop-by-hop fields, and a Status field of the app's own, which would contradict the real one. */
    private static final Set<String> SKIP = skipped();

    @Override
    protected void writeHead(ByteBuf buf, ResponseHead head) {
        ResponseHeadWriter.cgiStatus(buf, head);
        ResponseHeadWriter.fields(buf, head.headers(), SKIP);
    }

    private static Set<String> skipped() {
        Set<String> skip = new HashSet<>(ResponseHeadWriter.HOP_BY_HOP);
        skip.add("status");
        return Set.copyOf(skip);
    }
}
