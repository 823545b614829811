package io.gatehouse.core.listener;

import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.runtime.DirectListener;
import io.gatehouse.spi.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A listener's direct path: what the workers of the one app it leads to need to accept its connections themselves,
 * and the hand-back socket where they return, unread, the connections they leave to the master. A returned
 * connection enters the listener as if the master had accepted it (max-connections, timers, codec, log), so every
 * refusal and every limit keeps one definition.
 */
final class DirectPath implements DirectListener {
    private static final Logger LOG = Logger.getLogger(DirectPath.class.getName());

    private final Listener listener;
    private final AcceptGate gate;
    private final int socket;
    private final Path handback;
    private final Channel handbackServer;

    private DirectPath(Listener listener, AcceptGate gate, int socket, Path handback, Channel handbackServer) {
        this.listener = listener;
        this.gate = gate;
        this.socket = socket;
        this.handback = handback;
        this.handbackServer = handbackServer;
    }

    /**
     * Opens the hand-back socket at {@code handback} (mode 0600, in the master's private run directory; the runtime
     * hands it over to the app's user) for {@code listener}, whose server socket is {@code socket}.
     */
    static DirectPath open(Listener listener, AcceptGate gate, int socket, Transport transport, Path handback,
            boolean unix) throws IOException {
        Files.deleteIfExists(handback);
        Channel server = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannel(true))
                .childOption(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Returns(listener, transport, unix));
                    }
                })
                .bind(transport.unixAddress(handback)).syncUninterruptibly().channel();
        Files.setPosixFilePermissions(handback, PosixFilePermissions.fromString("rw-------"));
        return new DirectPath(listener, gate, socket, handback, server);
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    @Override
    public String name() {
        return listener.name();
    }

    @Override
    public int socket() {
        return socket;
    }

    /** The limits as the listener has them now: a reload may have changed them since the path was opened. */
    @Override
    public Map<String, Object> limits() {
        Map<String, Object> limits = new HashMap<>(listener.directLimits());
        ConnectionLimits connection = listener.limits();
        limits.put("body_timeout", seconds(connection.bodyTimeout().toMillis()));
        limits.put("send_timeout", seconds(connection.sendTimeout().toMillis()));
        limits.put("lingering_time", seconds(connection.lingeringTime().toMillis()));
        limits.put("lingering_timeout", seconds(connection.lingeringTimeout().toMillis()));
        return limits;
    }

    @Override
    public Path handback() {
        return handback;
    }

    @Override
    public void taken() {
        gate.takers(1);
    }

    @Override
    public void released() {
        gate.takers(-1);
    }

    /** Closes the hand-back socket (the listener is closing). */
    void close() {
        handbackServer.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(handback);
        } catch (IOException e) {
            LOG.fine(() -> "could not remove " + handback + ": " + e);
        }
    }

    /** One worker's hand-back connection: each descriptor it passes becomes a connection of the listener. */
    private static final class Returns extends ChannelInboundHandlerAdapter {
        private final Listener listener;
        private final Transport transport;
        private final boolean unix;

        Returns(Listener listener, Transport transport, boolean unix) {
            this.listener = listener;
            this.transport = transport;
            this.unix = unix;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FileDescriptor fd) {
                listener.takeBack(transport.adoptConnection(fd.intValue(), unix));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warning("[" + listener.name() + "] a worker's hand-back connection failed: " + cause);
            ctx.close();
        }
    }
}
