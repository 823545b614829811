package io.gatehouse.protocol.uwsgi;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.ResponseHead;
import io.gatehouse.spi.protocol.CloseDelimitedEncoder;
import io.gatehouse.spi.protocol.ResponseHeadWriter;
import io.netty.buffer.ByteBuf;

/**
 * Writes a uwsgi response, which is a raw HTTP/1.x response: status line, header fields, blank line, then the body
 * bytes, ended by the close of the connection (uwsgi has no keep-alive).
 */
final class UwsgiEncoder extends CloseDelimitedEncoder {
    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final String HTTP_1_1 = "HTTP/1.1";

    @Override
    protected void writeHead(ByteBuf buf, ResponseHead head) {
        // the version is only a marker to the front server; echo HTTP/1.0 to a 1.0 request, else say 1.1
        String version = HTTP_1_0.equals(head.request().environ().get(EnvironKeys.SERVER_PROTOCOL)) ? HTTP_1_0
                : HTTP_1_1;
        ResponseHeadWriter.statusLine(buf, version, head);
        ResponseHeadWriter.fields(buf, head.headers(), ResponseHeadWriter.HOP_BY_HOP);
    }
}
