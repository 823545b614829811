package io.gatehouse.protocol.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** EmbeddedChannels for codec tests, with TCP addresses so the environ's address keys can be checked. */
final class Http1Channels {
    /** The peer every test channel reports. */
    static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 50123);
    /** The local end every test channel reports. */
    static final InetSocketAddress LOCAL = new InetSocketAddress("198.51.100.1", 8080);

    private Http1Channels() {
    }

    /** A channel with the HTTP decoder under {@code options}. */
    static EmbeddedChannel decoder(Http1Options options) {
        return channel(new Http1Decoder(options));
    }

    /** A channel with the HTTP encoder. */
    static EmbeddedChannel encoder() {
        return channel(new Http1Encoder());
    }

    private static EmbeddedChannel channel(ChannelHandler handler) {
        return new EmbeddedChannel(handler) {
            @Override
            protected SocketAddress remoteAddress0() {
                return PEER;
            }

            @Override
            protected SocketAddress localAddress0() {
                return LOCAL;
            }
        };
    }
}
