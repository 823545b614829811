package io.gatehouse.spi.protocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * Who is at the other end of a connection. On a listener with {@code proxy-protocol: true} that is the source the
 * PROXY protocol header names (the client of the load balancer in front), not the socket's peer; protocols read
 * the peer here so that REMOTE_ADDR, the trust decision and the log lines all name the same client.
 */
public final class ConnectionPeer {
    private static final AttributeKey<SocketAddress> PROXIED = AttributeKey.valueOf("gatehouse.proxied-peer");

    private ConnectionPeer() {
    }

    /** The connection's client: the PROXY header's source when one was taken, else the socket's peer. */
    public static SocketAddress remoteAddress(Channel channel) {
        SocketAddress proxied = channel.attr(PROXIED).get();
        return proxied != null ? proxied : channel.remoteAddress();
    }

    /** Records the source a PROXY protocol header named; set by the listener before any request byte is read. */
    public static void proxied(Channel channel, SocketAddress source) {
        channel.attr(PROXIED).set(source);
    }

    /** The peer for a log line: {@code host:port}, or {@code unix-peer} for a nameless unix-socket peer. */
    public static String describe(Channel channel) {
        SocketAddress remote = remoteAddress(channel);
        String text = remote == null ? "" : remote.toString().replaceFirst("^/", "");
        return text.isEmpty() ? "unix-peer" : text;
    }
}
