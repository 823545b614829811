package io.gatehouse.protocol.http;

import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;

/** HTTP/1.1 (RFC 9112) for browsers, load balancers and proxies: {@code protocol: http}. */
public final class Http1Protocol implements Protocol<Http1Options> {

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Class<Http1Options> optionsType() {
        return Http1Options.class;
    }

    /** A load balancer (haproxy {@code send-proxy}) may name the client in a PROXY protocol header first. */
    @Override
    public boolean acceptsProxyProtocol() {
        return true;
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, Http1Options options) {
        pipeline.addLast("http-decoder", new Http1Decoder(options));
        pipeline.addLast("http-encoder", new Http1Encoder());
    }

    @Override
    public int bodyBuffer(Http1Options options) {
        return (int) options.bodyBuffer().bytes();
    }
}
