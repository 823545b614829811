package io.gatehouse.runtime.python;

import io.gatehouse.spi.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;

/**
 * The master's private unix socket (mode 0600, in the run directory) for one app generation. Every connection a
 * Python process opens starts with HELLO, which hands it to the fork server or to a worker by its token.
 */
final class PythonSocket implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PythonSocket.class.getName());

    /** Takes over a connection that said HELLO: replaces the greeting handler, or closes the connection. */
    interface Greeter {
        void greeted(WsgiFrames.Hello hello, ChannelHandlerContext ctx);
    }

    private final Path path;
    private final Channel server;

    private PythonSocket(Path path, Channel server) {
        this.path = path;
        this.server = server;
    }

    /** Binds {@code path} on the transport's loops. */
    static PythonSocket bind(Transport transport, Path path, Greeter greeter) throws IOException {
        Files.deleteIfExists(path);
        Channel server = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannel(true))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", new WsgiFrameDecoder())
                                .addLast("greeting", new Greeting(greeter));
                    }
                })
                .bind(transport.unixAddress(path)).syncUninterruptibly().channel();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return new PythonSocket(path, server);
    }

    /** Where the workers connect. */
    Path path() {
        return path;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.fine(() -> "could not remove " + path + ": " + e);
        }
    }

    /** The first handler of a connection: waits for HELLO, then lets the greeter take over. */
    private static final class Greeting extends ChannelInboundHandlerAdapter {
        private final Greeter greeter;

        Greeting(Greeter greeter) {
            this.greeter = greeter;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof WsgiFrame frame && frame.type() == WsgiFrameType.HELLO) {
                    greeter.greeted(WsgiFrames.hello(frame.content()), ctx);
                } else {
                    LOG.warning("a process connected to " + ctx.channel().localAddress() + " without saying HELLO; "
                            + "closing it");
                    ctx.close();
                }
            } catch (WsgiProtocolException e) {
                LOG.warning("malformed HELLO on a worker connection: " + e.getMessage());
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warning("worker connection failed before HELLO: " + cause);
            ctx.close();
        }
    }
}
