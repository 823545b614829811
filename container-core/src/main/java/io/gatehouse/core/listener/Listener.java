package io.gatehouse.core.listener;

import io.gatehouse.config.BindAddress;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.exchange.SendTimer;
import io.gatehouse.core.proxy.ProxyHeaderHandler;
import io.gatehouse.spi.protocol.ChannelSetup;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.DirectListener;
import io.gatehouse.spi.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One bound socket speaking one protocol. Each accepted connection gets a pipeline of the send timer, the head
 * timer, the protocol's codec and the exchange handler, with the PROXY protocol stage after the send timer where the
 * listener takes one ({@link #initConnection}); the {@link AcceptGate} holds the listener to max-connections. The
 * socket stays open across reloads: a reload that changes the listener's name, protocol, options or limits applies
 * them to connections accepted from then on ({@link #reconfigure}), while open connections finish with what they
 * started with; an unchanged one has its protocol prepare its connections again ({@link #refresh}), so TLS
 * certificates rotated on disk take effect for new connections.
 */
public final class Listener {
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    /** What new connections are set up with; {@code channels} is the protocol's part, prepared once. */
    private record Setup<O extends Record>(ListenerConfig config, Protocol<O> protocol, O options,
            ListenerContext context, ChannelSetup channels) {
        Setup(ListenerConfig config, Protocol<O> protocol, O options, ListenerContext context) throws IOException {
            this(config, protocol, options, context, protocol.setup(options, config));
        }

        void initChannel(Channel ch) {
            initConnection(ch.pipeline(), channels, context);
        }

        /** The limits the protocol's direct path applies, or null when it has none. */
        Map<String, Object> directLimits() {
            return protocol.directLimits(options);
        }

        /** The same setup with what the protocol reads from files read again. */
        Setup<O> refreshed() throws IOException {
            return new Setup<>(config, protocol, options, context);
        }
    }

    /**
     * Sets up a new connection of a listener: the send timer first (it watches every flush, whoever makes it), then
     * the PROXY protocol stage when the listener takes the header (it names the peer before anything else reads a
     * byte), the head timer, the protocol's codec and the exchange handler.
     */
    public static void initConnection(ChannelPipeline pipeline, ChannelSetup channels, ListenerContext context) {
        ConnectionLimits limits = context.limits();
        if (limits.sendTimeout().toNanos() > 0) {
            pipeline.addLast("send-timer", new SendTimer(limits.sendTimeout()));
        }
        if (context.proxyProtocol()) {
            ProxyHeaderHandler.addTo(pipeline, context.name(), limits.headerTimeout(), context.notices()::throttled);
        }
        HeadTimer timer = new HeadTimer(limits);
        pipeline.addLast("head-timer", timer);
        channels.initChannel(pipeline);
        pipeline.addLast("exchange", new ExchangeHandler(context, timer));
    }

    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AcceptGate gate;
    private volatile Setup<?> setup;
    private Channel server;
    private Path unixPath;
    private DirectPath direct;

    /**
     * A listener, not yet bound.
     *
     * @throws IOException if the protocol cannot prepare its connections (a TLS certificate it cannot read)
     */
    public <O extends Record> Listener(ListenerConfig config, Protocol<O> protocol, O options,
            ListenerContext context) throws IOException {
        this.setup = new Setup<>(config, protocol, options, context);
        this.gate = new AcceptGate(() -> setup.context(), config.backlog());
    }

    /**
     * Connections accepted from now on use this name, protocol and options; the socket stays as it is. If the
     * protocol cannot prepare them, the listener keeps its previous setup and the exception says why.
     */
    public <O extends Record> void reconfigure(ListenerConfig config, Protocol<O> protocol, O options,
            ListenerContext context) throws IOException {
        this.setup = new Setup<>(config, protocol, options, context);
        if (unixPath != null) {
            UnixSockets.applyModeAndOwner(unixPath, config.mode(), config.owner());
        }
    }

    /**
     * A reload that leaves the listener's config as it was: the protocol prepares its connections again, so files
     * its options name (TLS certificates) are read afresh for connections accepted from now on. If it cannot, the
     * previous setup stays and the exception says why.
     */
    public void refresh() throws IOException {
        this.setup = setup.refreshed();
    }

    /**
     * Binds the socket and starts accepting; {@code inherited} finds the sockets passed by systemd (or another
     * launcher) for {@code fd:N} and {@code systemd:NAME} binds.
     */
    public void bind(Transport transport, InheritedSockets inherited) throws IOException {
        ListenerConfig config = setup.config();
        BindAddress address = config.bind();
        if (address instanceof BindAddress.Fd || address instanceof BindAddress.Systemd) {
            adopt(transport, inherited.fd(address, config.displayName()), address);
            return;
        }
        SocketAddress socketAddress;
        boolean unix = address instanceof BindAddress.Unix;
        if (address instanceof BindAddress.Inet inet) {
            socketAddress = inet.host().isEmpty() ? new InetSocketAddress(inet.port())
                    : new InetSocketAddress(inet.host(), inet.port());
        } else if (address instanceof BindAddress.Unix u) {
            unixPath = Path.of(u.path()).toAbsolutePath();
            UnixSockets.clearStale(unixPath, "listener " + config.displayName());
            Files.createDirectories(unixPath.getParent());
            socketAddress = transport.unixAddress(unixPath);
        } else {
            throw new IOException("bind " + address + " is not supported");
        }
        ServerBootstrap b = bootstrap(transport).channel(transport.serverChannel(unix))
                .option(ChannelOption.SO_BACKLOG, config.backlog());
        if (!unix) {
            b.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
        }
        try {
            server = b.bind(socketAddress).syncUninterruptibly().channel();
        } catch (Exception e) {
            int port = address instanceof BindAddress.Inet inet ? inet.port() : 0;
            throw new IOException("listener " + config.displayName() + ": cannot bind " + address + ": "
                    + e.getMessage() + PrivilegedPorts.hint(port, e), e);
        }
        if (unixPath != null) {
            UnixSockets.applyModeAndOwner(unixPath, config.mode(), config.owner());
        }
    }

    /** Serves on a socket that is already bound and listening (socket activation): registered, never bound. */
    private void adopt(Transport transport, int fd, BindAddress address) throws IOException {
        ServerChannel channel = transport.adoptServerChannel(fd, InheritedSockets.isUnixSocket(fd));
        try {
            server = bootstrap(transport).channelFactory((io.netty.channel.ChannelFactory<ServerChannel>) () -> channel)
                    .register().syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IOException("listener " + setup.config().displayName() + ": cannot serve " + address + " (fd "
                    + fd + "): " + e.getMessage(), e);
        }
    }

    private ServerBootstrap bootstrap(Transport transport) {
        return new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .handler(gate)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        setup.initChannel(ch);
                    }
                });
    }

    /** The listener's name. */
    public String name() {
        return setup.context().name();
    }

    /** The listener's config. */
    public ListenerConfig config() {
        return setup.config();
    }

    /**
     * The bound address (with the real port when the config asked for port 0); null before binding, and for an
     * adopted unix socket, which does not know its path.
     */
    public SocketAddress localAddress() {
        return server == null ? null : server.localAddress();
    }

    /** Open connections. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * The direct path of this listener (made on first use): its socket for the workers of the one app it leads to,
     * and a hand-back socket at {@code handback} for the connections they leave to the master. Null where workers
     * cannot take connections: the protocol has no direct path ({@code protocolLimits} null), the transport is not
     * epoll, the listener says {@code direct-accept: false}, or the master must see every connection first (PROXY
     * protocol, trusted proxies).
     */
    public synchronized DirectListener direct(Transport transport, Path handback) throws IOException {
        ListenerConfig c = setup.config();
        if (setup.directLimits() == null || !transport.isEpoll() || !c.directAccept() || c.proxyProtocol()
                || !c.trustedProxies().isEmpty() || !(server instanceof UnixChannel unixServer)) {
            return null;
        }
        if (direct == null) {
            direct = DirectPath.open(this, gate, unixServer.fd().intValue(), transport, handback,
                    server instanceof ServerDomainSocketChannel);
        }
        return direct;
    }

    /** The protocol's limits for the direct path, as configured now; null when it has none. */
    Map<String, Object> directLimits() {
        return setup.directLimits();
    }

    /** The connection limits as configured now. */
    ConnectionLimits limits() {
        return setup.context().limits();
    }

    /** A connection a worker accepted and handed back: it enters the listener as if the master had accepted it. */
    void takeBack(Channel connection) {
        Channel s = server;
        if (s == null || !s.isOpen()) {
            connection.unsafe().closeForcibly();
            return;
        }
        s.eventLoop().execute(() -> s.pipeline().fireChannelRead(connection));
    }

    /** Stops accepting; open connections carry on. */
    public void stopAccepting() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        synchronized (this) {
            if (direct != null) {
                direct.close();
            }
        }
        if (unixPath != null) {
            UnixSockets.delete(unixPath);
        }
    }

    /** Asks every connection to close once idle (after its current response). */
    public void drainConnections() {
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ExchangeHandler.Drain.INSTANCE));
        }
    }

    /** Closes everything now. */
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly();
    }
}
