package io.gatehouse.core.stats;

import io.gatehouse.config.BindAddress;
import io.gatehouse.core.listener.PrivilegedPorts;
import io.gatehouse.spi.runtime.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The stats server ({@code stats.bind}). Over HTTP it serves Prometheus text at {@code /metrics} and uWSGI's stats
 * JSON at {@code /}; a client that connects and sends nothing for {@value #RAW_WAIT_MILLIS} ms gets the JSON
 * straight away and the connection closed, as uWSGI's stats socket does, so uwsgitop and other readers of the raw
 * socket work on the same port.
 */
public final class StatsServer implements AutoCloseable {
    static final long RAW_WAIT_MILLIS = 300;
    private static final int MAX_REQUEST = 8192;

    private final Channel server;
    private final Path unixPath;
    private final BindAddress bind;

    private StatsServer(Channel server, Path unixPath, BindAddress bind) {
        this.server = server;
        this.unixPath = unixPath;
        this.bind = bind;
    }

    /** Binds the stats server; {@code status} is called for each answer. */
    public static StatsServer bind(BindAddress bind, Transport transport, MeterRegistry registry,
            Supplier<ServerStatus> status) throws IOException {
        SocketAddress address;
        Path unixPath = null;
        if (bind instanceof BindAddress.Inet inet) {
            address = inet.isAnyHost() ? new InetSocketAddress(inet.port())
                    : new InetSocketAddress(inet.host(), inet.port());
        } else if (bind instanceof BindAddress.Unix u) {
            unixPath = Path.of(u.path()).toAbsolutePath();
            Files.deleteIfExists(unixPath);
            address = transport.unixAddress(unixPath);
        } else {
            throw new IOException("stats.bind " + bind + ": expected host:port or unix:/path");
        }
        ServerBootstrap b = new ServerBootstrap().group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannel(unixPath != null))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Sniffer(registry, status));
                    }
                });
        try {
            return new StatsServer(b.bind(address).syncUninterruptibly().channel(), unixPath, bind);
        } catch (Exception e) {
            int port = bind instanceof BindAddress.Inet inet ? inet.port() : 0;
            throw new IOException("stats server: cannot bind " + bind + ": " + e.getMessage()
                    + PrivilegedPorts.hint(port, e), e);
        }
    }

    /** Where it listens as configured. */
    public BindAddress bindAddress() {
        return bind;
    }

    /** Where it listens (with the real port). */
    public SocketAddress localAddress() {
        return server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // a stale file is cleared at the next bind
            }
        }
    }

    /** Waits for the first bytes: HTTP if they come, the raw JSON dump if they do not. */
    private static final class Sniffer extends ChannelInboundHandlerAdapter {
        private final MeterRegistry registry;
        private final Supplier<ServerStatus> status;
        private ScheduledFuture<?> timer;

        Sniffer(MeterRegistry registry, Supplier<ServerStatus> status) {
            this.registry = registry;
            this.status = status;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(() -> {
                ByteBuf json = Unpooled.copiedBuffer(UwsgiStatsJson.write(status.get()), StandardCharsets.UTF_8);
                ctx.writeAndFlush(json).addListener(ChannelFutureListener.CLOSE);
            }, RAW_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            timer.cancel(false);
            ctx.pipeline().addAfter(ctx.name(), "http", new HttpServerCodec())
                    .addAfter("http", "aggregate", new HttpObjectAggregator(MAX_REQUEST))
                    .addAfter("aggregate", "stats", new Pages(registry, status))
                    .remove(this);
            ctx.pipeline().fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** {@code GET /metrics} and {@code GET /}. */
    private static final class Pages extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final MeterRegistry registry;
        private final Supplier<ServerStatus> status;

        Pages(MeterRegistry registry, Supplier<ServerStatus> status) {
            this.registry = registry;
            this.status = status;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            FullHttpResponse response;
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else if (path.equals("/metrics")) {
                response = text(HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE, PrometheusText.write(registry));
            } else if (path.equals("/")) {
                response = text(HttpResponseStatus.OK, "application/json", UwsgiStatsJson.write(status.get()));
            } else {
                response = text(HttpResponseStatus.NOT_FOUND, "text/plain", "try /metrics or /\n");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (request.method().equals(HttpMethod.HEAD)) {
                response.content().clear();
            }
            var f = ctx.writeAndFlush(response);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static FullHttpResponse text(HttpResponseStatus status, String type, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
