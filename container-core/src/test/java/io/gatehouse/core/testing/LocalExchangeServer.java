package io.gatehouse.core.testing;

import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener without a wire format, for core tests: a local-transport server whose pipeline is the head timer and
 * the exchange handler, with clients that send core request messages ({@code EnvironHead}, {@code BodyChunk}) as
 * objects and receive the core response messages. Real event loops and threads, no protocol codec.
 */
public final class LocalExchangeServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    private final LocalAddress address = new LocalAddress("exchange-" + System.nanoTime());
    private final Channel server;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final java.util.List<Client> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A server routing with {@code routing}, no timeouts, a 64 KiB body buffer. */
    public LocalExchangeServer(Routing routing) {
        this(routing, false, Duration.ZERO, Duration.ZERO, 64 * 1024, ExchangeLog.NONE);
    }

    /** A server with every listener setting given; the other limits are off. */
    public LocalExchangeServer(Routing routing, boolean multiplexed, Duration headerTimeout, Duration idleTimeout,
            int bodyBuffer, ExchangeLog log) {
        ConnectionLimits limits = new ConnectionLimits(1000, headerTimeout, idleTimeout, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO);
        ListenerContext context = new ListenerContext("test", "local", multiplexed, bodyBuffer, limits,
                () -> routing, log, draining::get);
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        HeadTimer timer = new HeadTimer(limits);
                        ch.pipeline().addLast(timer, new ExchangeHandler(context, timer));
                    }
                }).bind(address).syncUninterruptibly().channel();
    }

    /** Marks the server as draining (as SIGTERM does). */
    public void drain() {
        draining.set(true);
    }

    /** A new connection. */
    public Client connect() {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        AtomicBoolean closed = new AtomicBoolean();
        Channel ch = new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        inbox.add(msg);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        closed.set(true);
                        inbox.add(Client.CLOSED);
                    }
                }).connect(address).syncUninterruptibly().channel();
        Client client = new Client(ch, inbox, closed);
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(Client::close);
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection. */
    public static final class Client implements AutoCloseable {
        /** Put in the inbox when the server closed the connection. */
        public static final Object CLOSED = new Object() {
            @Override
            public String toString() {
                return "CLOSED";
            }
        };

        private final Channel channel;
        private final BlockingQueue<Object> inbox;
        private final AtomicBoolean closed;

        Client(Channel channel, BlockingQueue<Object> inbox, AtomicBoolean closed) {
            this.channel = channel;
            this.inbox = inbox;
            this.closed = closed;
        }

        /** Sends request messages in order. */
        public Client send(Object... messages) {
            for (Object m : messages) {
                channel.write(m);
            }
            channel.flush();
            return this;
        }

        /** The next message from the server, waiting up to 10 s; fails on time-out. */
        public Object next() {
            try {
                Object m = inbox.poll(10, TimeUnit.SECONDS);
                if (m == null) {
                    throw new AssertionError("no message from the server within 10 s");
                }
                return m;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }

        /** The next whole answer: head, body chunks, until the end, an abort or the connection closing. */
        public Answer answer() {
            return Answer.read(this);
        }

        /** True once the server closed the connection. */
        public boolean closed() {
            return closed.get();
        }

        /** Waits up to 10 s for the server to close the connection. */
        public boolean awaitClosed() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!closed.get() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return closed.get();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            Object m;
            while ((m = inbox.poll()) != null) {
                io.netty.util.ReferenceCountUtil.release(m);
            }
        }
    }
}
