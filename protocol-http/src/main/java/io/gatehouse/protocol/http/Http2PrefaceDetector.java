package io.gatehouse.protocol.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * h2c with prior knowledge (RFC 9113 3.3) on a cleartext listener: a connection that opens with the HTTP/2 preface
 * ({@code PRI * HTTP/2.0}) speaks HTTP/2, any other HTTP/1.1. Looks at no more bytes than the preface, then replaces
 * itself with the codec chosen, which reads everything from the first byte.
 */
final class Http2PrefaceDetector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final HttpCodecs codecs;

    Http2PrefaceDetector(HttpCodecs codecs) {
        this.codecs = codecs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean h2 = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n);
        if (h2 && n < PREFACE.readableBytes()) {
            return; // so far the bytes are the preface's: wait for the rest
        }
        codecs.install(ctx, h2, null);
        ctx.pipeline().remove(this); // hands what it buffered to the codec
    }
}
