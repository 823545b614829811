package io.gatehouse.core.testing;

import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.RequestBody;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A whole listener pipeline on an EmbeddedChannel (head timer, a protocol's codec, the exchange handler) with a
 * routing of the test's choosing, for listener tests that feed raw request bytes and assert raw response bytes,
 * whether the connection closed, and the WARN lines the listener logged. Time is frozen; {@link #advance} moves it.
 */
public final class ListenerHarness implements AutoCloseable {
    private static final Logger EXCHANGE_LOG = Logger.getLogger(ExchangeHandler.class.getName());

    private final EmbeddedChannel channel;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<String> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private ListenerHarness(EmbeddedChannel channel) {
        this.channel = channel;
        EXCHANGE_LOG.addHandler(capture);
    }

    /** A listener named "test" speaking {@code protocol} with {@code options}, handing heads to {@code routing}. */
    public static <O extends Record> ListenerHarness start(Protocol<O> protocol, O options, Routing routing) {
        Protocol.ConnectionLimits limits = protocol.limits(options);
        ListenerContext context = new ListenerContext("test", protocol.name(), protocol.multiplexed(),
                limits.bodyBuffer(), limits.headerTimeout(), limits.idleTimeout(), () -> routing, ExchangeLog.NONE,
                () -> false);
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        HeadTimer timer = new HeadTimer(limits.headerTimeout(), limits.idleTimeout());
        channel.pipeline().addLast("head-timer", timer);
        protocol.initChannel(channel.pipeline(), options);
        channel.pipeline().addLast("exchange", new ExchangeHandler(context, timer));
        try {
            channel.register();
            channel.freezeTime();
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the embedded channel", e);
        }
        return new ListenerHarness(channel);
    }

    /**
     * A routing that reads the whole request body, then answers 200 with the body echoed back (Content-Length set)
     * and the request's SCRIPT_NAME + PATH_INFO in an {@code X-Path} field.
     */
    public static Routing echo() {
        return exchange -> readAll(exchange, Unpooled.buffer(), body -> {
            String path = exchange.environ().getOrDefault("SCRIPT_NAME", "")
                    + exchange.environ().getOrDefault("PATH_INFO", "");
            exchange.response().head(200, null, Headers.of("Content-Type", "application/octet-stream", "X-Path",
                    path), body.readableBytes());
            exchange.response().chunk(body, false);
            exchange.response().end();
        });
    }

    private static void readAll(Exchange exchange, ByteBuf into, java.util.function.Consumer<ByteBuf> done) {
        exchange.body().read(new RequestBody.Receiver() {
            @Override
            public void onData(ByteBuf data, boolean last) {
                into.writeBytes(data);
                data.release();
                if (last) {
                    done.accept(into);
                } else {
                    readAll(exchange, into, done);
                }
            }

            @Override
            public void onError(IOException cause) {
                into.release();
            }
        });
    }

    /** The channel, for tests that need it directly. */
    public EmbeddedChannel channel() {
        return channel;
    }

    /** Feeds {@code input} cut the way {@code feed} cuts it, then runs what became due. */
    public ListenerHarness feed(byte[] input, Feed feed) {
        for (ByteBuf part : feed.split(input)) {
            if (!channel.isActive()) {
                part.release();
                continue;
            }
            channel.writeInbound(part);
        }
        channel.runPendingTasks();
        return this;
    }

    /** Moves the frozen clock on by {@code millis} and runs the scheduled tasks that became due. */
    public ListenerHarness advance(long millis) {
        channel.advanceTimeBy(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        return this;
    }

    /** Every byte written to the connection so far (buffers and file regions), releasing what it read. */
    public byte[] response() {
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            try {
                if (msg instanceof ByteBuf buf) {
                    buf.getBytes(buf.readerIndex(), written, buf.readableBytes());
                } else if (msg instanceof FileRegion region) {
                    transfer(region);
                } else {
                    throw new AssertionError("unexpected outbound message " + msg);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return written.toByteArray();
    }

    /** {@link #response()} as ISO-8859-1 text. */
    public String responseText() {
        return new String(response(), StandardCharsets.ISO_8859_1);
    }

    /** The WARN (and worse) lines the exchange handler logged since the start. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** True while the connection is open. */
    public boolean open() {
        return channel.isOpen();
    }

    private void transfer(FileRegion region) throws IOException {
        WritableByteChannel sink = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                byte[] bytes = new byte[n];
                src.get(bytes);
                written.writeBytes(bytes);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        while (region.transferred() < region.count()) {
            region.transferTo(sink, region.transferred());
        }
    }

    /** Stops capturing log lines. The test still ends with {@code assertFalse(channel().finish())}. */
    @Override
    public void close() {
        EXCHANGE_LOG.removeHandler(capture);
    }
}
