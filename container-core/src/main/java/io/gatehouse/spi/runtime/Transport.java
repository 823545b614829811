package io.gatehouse.spi.runtime;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The server's I/O: native epoll where available, NIO otherwise, with one accept loop, a group of I/O loops shared
 * by every listener, and a group of lane loops for the connections to WSGI worker threads, which a flood of client
 * I/O must not hold up (each of those connections carries one request at a time, so a worker waits for its next
 * one while its loop serves clients).
 */
public final class Transport implements AutoCloseable {
    private final boolean epoll;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final EventLoopGroup laneGroup;

    private Transport(boolean epoll, int ioThreads) {
        this.epoll = epoll;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, factory);
        this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, factory);
        this.laneGroup = new MultiThreadIoEventLoopGroup(ioThreads, factory);
    }

    /**
     * Epoll if the native library loads (and {@code -Dgatehouse.transport=nio} is not set), else NIO; {@code ioThreads}
     * loops of each kind, or {@link #defaultIoThreads} for 0.
     */
    public static Transport create(int ioThreads) {
        boolean wantNio = "nio".equals(System.getProperty("gatehouse.transport"));
        int threads = ioThreads > 0 ? ioThreads : defaultIoThreads(Runtime.getRuntime().availableProcessors());
        return new Transport(!wantNio && Epoll.isAvailable(), threads);
    }

    /**
     * One loop for every two processors, at least one: the loops share the machine with the workers, whose apps cost
     * several times what the master spends on a request, and a loop more than its share of the cores gets fewer
     * events per wake-up and more context switches (a WebSocket echo on 2 cores: the master's CPU per message about
     * a fifth lower with one loop than with two).
     */
    static int defaultIoThreads(int processors) {
        return Math.max(1, processors / 2);
    }

    /** "epoll" or "nio". */
    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /** The loop that accepts connections. */
    public EventLoopGroup acceptGroup() {
        return acceptGroup;
    }

    /** The loops that serve connections. */
    public EventLoopGroup ioGroup() {
        return ioGroup;
    }

    /** The loops that serve the connections to worker threads, apart from client I/O. */
    public EventLoopGroup laneGroup() {
        return laneGroup;
    }

    /** True on one of this transport's event loop threads, where nothing may block. */
    public boolean onEventLoop() {
        return inGroup(acceptGroup) || inGroup(ioGroup) || inGroup(laneGroup);
    }

    private static boolean inGroup(EventLoopGroup group) {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** The server channel type for TCP ({@code unix} false) or unix sockets. */
    public Class<? extends ServerChannel> serverChannel(boolean unix) {
        if (epoll) {
            return unix ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
        }
        return unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * A server channel on an inherited, already listening socket. Only the native transport can adopt a file
     * descriptor: NIO has no way to wrap one. {@code unix} says whether it is a unix-domain socket.
     */
    public ServerChannel adoptServerChannel(int fd, boolean unix) throws java.io.IOException {
        if (!epoll) {
            throw new java.io.IOException("fd " + fd + ": an inherited socket needs the native epoll transport, and "
                    + "this server runs on NIO (" + (Epoll.isAvailable() ? "-Dgatehouse.transport=nio is set"
                    : "epoll is unavailable: " + Epoll.unavailabilityCause()) + "); NIO cannot adopt a file descriptor");
        }
        // The fd is already listening: the domain channel must be told so, or it never starts accepting.
        return unix ? new EpollServerDomainSocketChannel(fd, true)
                : new EpollServerSocketChannel(fd);
    }

    /**
     * A connection on a socket a worker accepted and handed back (the direct path); epoll only, the only transport
     * with a direct path. {@code unix} says whether it is a unix-domain socket.
     */
    public Channel adoptConnection(int fd, boolean unix) {
        return unix ? new EpollDomainSocketChannel(fd) : new EpollSocketChannel(fd);
    }

    /** Whether the native epoll transport is in use. */
    public boolean isEpoll() {
        return epoll;
    }

    /** The client channel type for unix sockets (bridges to worker processes). */
    public Class<? extends Channel> domainSocketChannel() {
        return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
    }

    /** The address of a unix socket at {@code path}, in this transport's type. */
    public SocketAddress unixAddress(Path path) {
        return epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }

    @Override
    public void close() {
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        laneGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        acceptGroup.terminationFuture().syncUninterruptibly();
        ioGroup.terminationFuture().syncUninterruptibly();
        laneGroup.terminationFuture().syncUninterruptibly();
    }
}
