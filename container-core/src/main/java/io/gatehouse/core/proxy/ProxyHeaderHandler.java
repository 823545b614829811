package io.gatehouse.core.proxy;

import io.gatehouse.config.IpLiteral;
import io.gatehouse.spi.log.LogThrottle;
import io.gatehouse.spi.protocol.ConnectionPeer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The PROXY protocol stage of a listener with {@code proxy-protocol: true}: Netty's {@link HAProxyMessageDecoder}
 * reads the v1 or v2 header (HAProxy's proxy-protocol.txt) and this handler makes its source the connection's
 * peer ({@link ConnectionPeer}), then steps aside. Until then the rest of the pipeline has not even seen the
 * connection become active, so the head timer and the protocol start from the real client. A connection that does
 * not begin with a valid header, or not within the header timeout, is closed with one log line (rate-limited per
 * listener) and no answer: its bytes are not the listener's protocol. {@code LOCAL} (a proxy's health check) and {@code UNKNOWN} headers keep
 * the socket's peer, as the spec says.
 */
public final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ProxyHeaderHandler.class.getName());

    private final String listener;
    private final long timeoutNanos;
    private final LogThrottle log;
    private String peer;
    private ScheduledFuture<?> timer;
    private boolean done;

    private ProxyHeaderHandler(String listener, Duration timeout, LogThrottle log) {
        this.listener = listener;
        this.timeoutNanos = timeout.toNanos();
        this.log = log;
    }

    /**
     * Adds the PROXY protocol stage to a new connection's pipeline, before anything that reads; {@code timeout} (the
     * listener's header timeout, 0 for none) bounds the wait for the header, and refusals are logged through the
     * listener's throttle of this class's logger, which {@code throttles} gives.
     */
    public static void addTo(ChannelPipeline pipeline, String listener, Duration timeout,
            Function<Logger, LogThrottle> throttles) {
        pipeline.addLast("proxy-protocol-decoder", new HAProxyMessageDecoder());
        pipeline.addLast("proxy-protocol", new ProxyHeaderHandler(listener, timeout, throttles.apply(LOG)));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held back until the header names the peer; see the class comment
        peer = ConnectionPeer.describe(ctx.channel()); // once closed, the channel no longer knows it
        if (timeoutNanos > 0) {
            timer = ctx.executor().schedule(() -> refuse(ctx, "no PROXY protocol header within header-timeout "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            cancelTimer();
            done = true;
            SocketAddress source = source(header);
            if (source != null) {
                ConnectionPeer.proxied(ctx.channel(), source);
            }
        } finally {
            header.release();
        }
        ctx.fireChannelActive();
        // the decoder, removed next, hands the bytes after the header on to the protocol
        ctx.pipeline().remove(this);
    }

    /** The client a PROXY command names over TCP or UDP; null for LOCAL, UNKNOWN and unix-socket sources. */
    private static SocketAddress source(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY || header.sourceAddress() == null) {
            return null;
        }
        byte[] address = switch (header.proxiedProtocol().addressFamily()) {
            case AF_IPv4, AF_IPv6 -> IpLiteral.parse(header.sourceAddress());
            default -> null;
        };
        try {
            return address == null ? null : new InetSocketAddress(InetAddress.getByAddress(address),
                    header.sourcePort());
        } catch (UnknownHostException e) {
            return null; // not reached: the address has 4 or 16 bytes
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof HAProxyProtocolException)) {
            ctx.fireExceptionCaught(cause);
        } else if (!done) {
            refuse(ctx, "not a valid PROXY protocol header: " + printable(innermostMessage(cause)));
        }
        // else: the decoder, closed, read the rest of what it had once more and failed again; said once is enough
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        done = true;
        cancelTimer();
        log.log("[" + listener + "] " + (peer != null ? peer : ConnectionPeer.describe(ctx.channel()))
                + ": closed: " + why
                + " (proxy-protocol is on for this listener)");
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The decoder wraps what it found wrong (an address, the header's length) in more general exceptions. */
    private static String innermostMessage(Throwable cause) {
        String message = cause.getMessage();
        for (Throwable t = cause.getCause(); t != null; t = t.getCause()) {
            message = t.getMessage() != null ? t.getMessage() : message;
        }
        return message;
    }

    /** The decoder quotes the bytes it refused; a log line gets them without control characters, and not too many. */
    private static String printable(String text) {
        if (text == null) {
            return "malformed";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 120));
        for (int i = 0; i < text.length() && i < 120; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return text.length() > 120 ? out.append("...").toString() : out.toString();
    }
}
