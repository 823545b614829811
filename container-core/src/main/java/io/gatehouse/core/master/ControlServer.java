package io.gatehouse.core.master;

import io.gatehouse.core.listener.UnixSockets;
import io.gatehouse.core.stats.ServerStatus;
import io.gatehouse.spi.runtime.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The control socket ({@code master.control-socket}): a unix socket where each connection sends one command line
 * and gets one line of JSON back (see {@link ControlProtocol}). The socket file gets its mode before it appears
 * under its name (bound under a temporary name, chmod-ed, then renamed), so no other user can slip in.
 */
final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());
    private static final int MAX_LINE = 1024;

    /** What the commands act on: the master. */
    interface Target {
        ServerStatus status();

        CompletableFuture<ReloadReport> reload(ReloadScope scope);

        void stop(boolean now);
    }

    private final Channel server;
    private final Path path;
    private final ChannelGroup connections;

    private ControlServer(Channel server, Path path, ChannelGroup connections) {
        this.server = server;
        this.path = path;
        this.connections = connections;
    }

    /** Binds the control socket at {@code file} with octal {@code mode}; refuses if another master answers there. */
    static ControlServer bind(String file, String mode, Transport transport, Target target) throws IOException {
        Path path = Path.of(file).toAbsolutePath();
        UnixSockets.clearStale(path, "control socket");
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new IOException("control socket: cannot create the directory " + path.getParent() + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        Path tmp = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap().group(transport.acceptGroup(), transport.ioGroup())
                .channel(transport.serverChannel(true))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new ReadTimeoutHandler(10), new LineBasedFrameDecoder(MAX_LINE),
                                new StringDecoder(StandardCharsets.UTF_8), new Session(target));
                    }
                });
        Channel server;
        try {
            server = b.bind(transport.unixAddress(tmp)).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IOException("control socket: cannot bind " + path + ": " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(tmp, permissions(Integer.parseInt(mode, 8)));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            server.close().syncUninterruptibly();
            Files.deleteIfExists(tmp);
            throw new IOException("control socket " + path + ": " + e.getMessage(), e);
        }
        return new ControlServer(server, path, connections);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            // values() runs OWNER_READ .. OTHERS_EXECUTE, i.e. from bit 8 down to bit 0
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    Path path() {
        return path;
    }

    /** Closes the socket and every open control connection (a waiting {@code gatehouse stop} then returns). */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.fine(() -> "removing " + path + ": " + e);
        }
    }

    /** One connection: one command, one answer. */
    private static final class Session extends SimpleChannelInboundHandler<String> {
        private final Target target;
        private boolean answered;

        Session(Target target) {
            this.target = target;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (answered) {
                return;
            }
            answered = true;
            // A reload or a stop may take longer than the time allowed to send the command.
            ctx.pipeline().remove(ReadTimeoutHandler.class);
            ControlProtocol.Command command;
            try {
                command = ControlProtocol.parse(line);
            } catch (IllegalArgumentException e) {
                answer(ctx, ControlProtocol.error(e.getMessage()), true);
                return;
            }
            switch (command.verb()) {
                case "status" -> answer(ctx, ControlProtocol.status(target.status()), true);
                case "reload" -> target.reload(command.scope()).whenComplete((report, e) -> answer(ctx,
                        e != null ? ControlProtocol.error(e.toString()) : ControlProtocol.reload(report), true));
                default -> {
                    boolean now = command.now();
                    // The connection stays open until the master exits, so the client can wait for the stop.
                    answer(ctx, ControlProtocol.stopping(now), false);
                    target.stop(now);
                }
            }
        }

        private static void answer(ChannelHandlerContext ctx, String json, boolean close) {
            var f = ctx.writeAndFlush(Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8));
            if (close) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
