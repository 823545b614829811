package io.gatehouse.protocol.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The codecs of one http listener, put in a connection's pipeline once it is known which HTTP it speaks (after the
 * TLS handshake's ALPN, or the first bytes of an h2c connection): HTTP/1.1's decoder and encoder, or HTTP/2's handler.
 *
 * @param listener the listener's name, for log lines
 * @param options  its options
 */
record HttpCodecs(String listener, Http1Options options) {

    /** Adds the codec after {@code ctx}'s handler; {@code tls} holds the connection's TLS variables (null: none). */
    void install(ChannelHandlerContext ctx, boolean h2, HttpTlsEnviron tls) {
        ChannelPipeline pipeline = ctx.pipeline();
        if (h2) {
            pipeline.addAfter(ctx.name(), "http2", new Http2HandlerBuilder(listener, options, tls).newHandler());
            // Streams answered while a read is being handled leave in one write (and one TLS record) at its end,
            // not one each: with many streams in flight, that is most of the cost of a small response.
            pipeline.addAfter(ctx.name(), "flush-consolidation", new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
        } else {
            pipeline.addAfter(ctx.name(), "http-encoder", new Http1Encoder());
            pipeline.addAfter(ctx.name(), "http-decoder", new Http1Decoder(options, tls));
            Http1WebSocketUpgrade.addTo(pipeline, options);
        }
    }
}
