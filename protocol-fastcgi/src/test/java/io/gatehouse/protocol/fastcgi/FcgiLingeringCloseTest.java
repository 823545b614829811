package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Over a real loopback socket: a request answered (here refused with 413) while its body is still coming is read to
 * its end before the connection closes, so a web server that sends the whole body before reading (Apache) gets the
 * answer instead of a reset.
 */
class FcgiLingeringCloseTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel listen(FcgiOptions options) {
        ListenerContext context = new ListenerContext("linger", "fastcgi", true, 65536, Duration.ZERO,
                Duration.ZERO, () -> e -> e.response().error(500, null), ExchangeLog.NONE, () -> false);
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        HeadTimer timer = new HeadTimer(Duration.ZERO, Duration.ZERO);
                        ch.pipeline().addLast(timer);
                        new FcgiProtocol().initChannel(ch.pipeline(), options);
                        ch.pipeline().addLast(new ExchangeHandler(context, timer));
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    @Test
    void readsTheRestOfABodyBeforeClosingSoTheAnswerArrives() throws Exception {
        FcgiOptions d = FcgiOptions.DEFAULTS;
        FcgiOptions limited = new FcgiOptions(d.maxParamsSize(), d.maxParams(), DataSize.ofKibibytes(1),
                d.maxRequestsInFlight(), d.maxConnections(), d.headerTimeout(), d.keepaliveTimeout(), d.bodyBuffer());
        Channel server = listen(limited);
        int bodySize = 32 * 1024 * 1024;
        byte[] head = new FcgiRequestWriter().begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .params(1, nginxParams("POST", "/upload", Integer.toString(bodySize))).bytes();
        byte[] body = new FcgiRequestWriter().stdin(1, new byte[bodySize]).stdinEnd(1).bytes();
        try (CapturedLog log = new CapturedLog(ExchangeHandler.class);
                Socket s = new Socket()) {
            s.connect((InetSocketAddress) server.localAddress(), 5000);
            s.setSoTimeout(20_000);
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(s));
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(body); // as Apache does: the whole body first; a reset here would lose the answer
            out.flush();
            byte[] got = answer.get(20, TimeUnit.SECONDS);
            FcgiRecordReader records = FcgiRecordReader.parse(got);
            assertTrue(records.stdoutText(1).startsWith("Status: 413 Content Too Large\r\n"), records.toString());
            assertArrayEquals(new int[] {0, 0}, records.endRequest(1));
            assertEquals(1, log.lines().size(), log.lines().toString());
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    private static byte[] readAll(Socket s) {
        try {
            InputStream in = s.getInputStream(); // not closed here: that would close the socket the test writes to
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
