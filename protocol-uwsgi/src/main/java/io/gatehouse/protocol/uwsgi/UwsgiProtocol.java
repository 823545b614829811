package io.gatehouse.protocol.uwsgi;

import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;
import java.util.Map;

/**
 * The uwsgi protocol of nginx's uwsgi_pass, Apache's mod_proxy_uwsgi and lighttpd's mod_scgi
 * ({@code scgi.protocol = "uwsgi"}): {@code protocol: uwsgi}. One request per connection.
 */
public final class UwsgiProtocol implements Protocol<UwsgiOptions> {

    @Override
    public String name() {
        return "uwsgi";
    }

    @Override
    public Class<UwsgiOptions> optionsType() {
        return UwsgiOptions.class;
    }

    /** A load balancer (haproxy {@code send-proxy}) may name the client in a PROXY protocol header first. */
    @Override
    public boolean acceptsProxyProtocol() {
        return true;
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, UwsgiOptions options) {
        pipeline.addLast("uwsgi-decoder", new UwsgiDecoder(options));
        pipeline.addLast("uwsgi-encoder", new UwsgiEncoder());
    }

    /**
     * Python workers parse the usual uwsgi packet themselves (gatehouse_direct_head.py) under the same limits, and
     * hand every other one back to this decoder.
     */
    @Override
    public Map<String, Object> directLimits(UwsgiOptions options) {
        return Map.of("buffer_size", Math.min(options.bufferSize().bytes(), UwsgiConstants.MAX_DATASIZE),
                "max_vars", options.maxVars(), "limit_post", options.limitPost().bytes());
    }

    @Override
    public int bodyBuffer(UwsgiOptions options) {
        return (int) options.bodyBuffer().bytes();
    }
}
