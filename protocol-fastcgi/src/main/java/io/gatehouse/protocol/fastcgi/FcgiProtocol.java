package io.gatehouse.protocol.fastcgi;

import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * FastCGI 1.0 in the RESPONDER role, behind nginx (fastcgi_pass), Apache (mod_proxy_fcgi), lighttpd (mod_fastcgi)
 * or any other web server: {@code protocol: fastcgi}. The one multiplexed protocol: a connection may carry several
 * requests at once, each its own exchange.
 */
public final class FcgiProtocol implements Protocol<FcgiOptions> {
    private static final Logger LOG = Logger.getLogger(FcgiProtocol.class.getName());
    /** Open connections of one listener, kept on its server channel so that each listener counts its own. */
    private static final AttributeKey<AtomicInteger> CONNECTIONS = AttributeKey.valueOf("gatehouse.fcgi.connections");
    private final long lingerMillis;

    /** The protocol as listeners find it. */
    public FcgiProtocol() {
        this(FcgiEncoder.LINGER_MILLIS);
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
        FcgiRequests requests = new FcgiRequests();
        // the chunked writer sits before the codec, so records the decoder writes itself (management answers,
        // refusals) queue behind a file being framed instead of overtaking it
        pipeline.addLast("fcgi-chunked-writer", new ChunkedWriteHandler());
        pipeline.addLast("fcgi-decoder", new FcgiDecoder(options, requests));
        pipeline.addLast("fcgi-encoder", new FcgiEncoder(requests, lingerMillis));
        admit(pipeline.channel(), options.maxConnections());
    }

    /**
     * Counts the connection against max-connections (what FCGI_MAX_CONNS promises); one over the limit is closed at
     * once, with one log line, before it is read.
     */
    static void admit(Channel channel, int maxConnections) {
        Channel listener = channel.parent();
        if (listener == null) {
            return;
        }
        AtomicInteger open = listener.attr(CONNECTIONS).get();
        if (open == null) {
            AtomicInteger fresh = new AtomicInteger();
            open = listener.attr(CONNECTIONS).setIfAbsent(fresh);
            open = open == null ? fresh : open;
        }
        AtomicInteger count = open;
        if (count.incrementAndGet() > maxConnections) {
            count.decrementAndGet();
            LOG.warning("[fastcgi@" + address(listener.localAddress()) + "] " + address(channel.remoteAddress())
                    + ": connection closed at once: max-connections " + maxConnections + " reached");
            channel.config().setAutoRead(false);
            channel.close();
            return;
        }
        channel.closeFuture().addListener(f -> count.decrementAndGet());
    }

    private static String address(SocketAddress a) {
        return a == null ? "unix-peer" : a.toString().replaceFirst("^/", "");
    }

    @Override
    public ConnectionLimits limits(FcgiOptions options) {
        return new ConnectionLimits(options.headerTimeout(), options.keepaliveTimeout(),
                (int) options.bodyBuffer().bytes());
    }
}
