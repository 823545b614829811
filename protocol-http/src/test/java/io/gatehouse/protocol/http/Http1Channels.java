package io.gatehouse.protocol.http;

import io.gatehouse.spi.protocol.CodecEvent;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

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

    /** A channel with the HTTP encoder, and behind it {@code events}, which records what it tells the core. */
    static EmbeddedChannel encoder(CodecEvents events) {
        return channel(new Http1Encoder(), events);
    }

    /** The codec events a channel's codec fired, as the core's exchange handler would have seen them. */
    static final class CodecEvents extends ChannelInboundHandlerAdapter {
        private final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }

        /** True once the codec asked for the connection to close after a response. */
        boolean closeAsked() {
            return seen.contains(CodecEvent.CLOSE_AFTER_RESPONSE);
        }
    }

    private static EmbeddedChannel channel(ChannelHandler... handlers) {
        return new EmbeddedChannel(handlers) {
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
