package io.gatehouse.protocol.fastcgi;

import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.time.Duration;

/**
 * FastCGI 1.0 in the RESPONDER role, behind nginx (fastcgi_pass), Apache (mod_proxy_fcgi), lighttpd (mod_fastcgi)
 * or any other web server: {@code protocol: fastcgi}. The one multiplexed protocol: a connection may carry several
 * requests at once, each its own exchange.
 */
public final class FcgiProtocol implements Protocol<FcgiOptions> {
    /** The longest a closing connection reads input it will drop; -1 for the listener's lingering-time. */
    private final long lingerMillis;

    /** The protocol as listeners find it. */
    public FcgiProtocol() {
        this(-1);
    }

    /** The protocol with another linger time, for tests that cannot wait out the real one. */
    FcgiProtocol(long lingerMillis) {
        this.lingerMillis = lingerMillis;
    }

    @Override
    public String name() {
        return "fastcgi";
    }

    @Override
    public Class<FcgiOptions> optionsType() {
        return FcgiOptions.class;
    }

    @Override
    public boolean multiplexed() {
        return true;
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, FcgiOptions options) {
        initChannel(pipeline, options, ConnectionLimits.defaults(this));
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, FcgiOptions options, ConnectionLimits limits) {
        FcgiRequests requests = new FcgiRequests();
        // the chunked writer sits before the codec, so records the decoder writes itself (management answers,
        // refusals) queue behind a file being framed instead of overtaking it
        pipeline.addLast("fcgi-chunked-writer", new ChunkedWriteHandler());
        pipeline.addLast("fcgi-decoder", new FcgiDecoder(options, limits.maxConnections(), requests));
        pipeline.addLast("fcgi-encoder", new FcgiEncoder(requests,
                lingerMillis >= 0 ? lingerMillis : limits.lingeringTime().toMillis()));
    }

    @Override
    public int bodyBuffer(FcgiOptions options) {
        return (int) options.bodyBuffer().bytes();
    }

    /** Longer than nginx's upstream keepalive_timeout (60 s), so nginx, not Gatehouse, closes idle connections. */
    @Override
    public Duration keepaliveTimeout() {
        return Duration.ofSeconds(75);
    }
}
