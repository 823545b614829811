package io.gatehouse.protocol.scgi;

import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;

/**
 * SCGI, as nginx's scgi_pass, Apache's mod_proxy_scgi and lighttpd's mod_scgi speak it: {@code protocol: scgi}.
 * One request per connection.
 */
public final class ScgiProtocol implements Protocol<ScgiOptions> {

    @Override
    public String name() {
        return "scgi";
    }

    @Override
    public Class<ScgiOptions> optionsType() {
        return ScgiOptions.class;
    }

    /** A load balancer (haproxy {@code send-proxy}) may name the client in a PROXY protocol header first. */
    @Override
    public boolean acceptsProxyProtocol() {
        return true;
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, ScgiOptions options) {
        pipeline.addLast("scgi-decoder", new ScgiDecoder(options));
        pipeline.addLast("scgi-encoder", new ScgiEncoder());
    }

    @Override
    public int bodyBuffer(ScgiOptions options) {
        return (int) options.bodyBuffer().bytes();
    }
}
