package io.gatehouse.core.listener;

import io.gatehouse.config.BindAddress;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.spi.protocol.Protocol;
import io.gatehouse.spi.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One bound socket speaking one protocol. Each accepted connection gets a pipeline of the head timer, the
 * protocol's codec and the exchange handler. The socket stays open across reloads: a reload that changes the
 * listener's name, protocol or options applies them to connections accepted from then on ({@link #reconfigure}),
 * while open connections finish with what they started with.
 */
public final class Listener {
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    /** What new connections are set up with. */
    private record Setup<O extends Record>(ListenerConfig config, Protocol<O> protocol, O options,
            ListenerContext context) {
        void initChannel(Channel ch) {
            HeadTimer timer = new HeadTimer(context.headerTimeout(), context.idleTimeout());
            ch.pipeline().addLast("head-timer", timer);
            protocol.initChannel(ch.pipeline(), options);
            ch.pipeline().addLast("exchange", new ExchangeHandler(context, timer));
        }
    }

    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Setup<?> setup;
    private Channel server;
    private Path unixPath;

    /** A listener, not yet bound. */
    public <O extends Record> Listener(ListenerConfig config, Protocol<O> protocol, O options,
            ListenerContext context) {
        this.setup = new Setup<>(config, protocol, options, context);
    }

    /** Connections accepted from now on use this name, protocol and options; the socket stays as it is. */
    public <O extends Record> void reconfigure(ListenerConfig config, Protocol<O> protocol, O options,
            ListenerContext context) throws IOException {
        this.setup = new Setup<>(config, protocol, options, context);
        if (unixPath != null) {
            UnixSockets.applyModeAndOwner(unixPath, config.mode(), config.owner());
        }
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
            throw new IOException("listener " + config.displayName() + ": cannot bind " + address + ": "
                    + e.getMessage(), e);
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

    /** Stops accepting; open connections carry on. */
    public void stopAccepting() {
        if (server != null) {
            server.close().syncUninterruptibly();
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
