package io.gatehouse.core.testing;

import io.gatehouse.app.Headers;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.listener.Listener;
import io.gatehouse.core.proxy.ForwardedHeaders;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.RequestBody;
import io.gatehouse.spi.protocol.ChannelSetup;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A whole listener pipeline on an EmbeddedChannel (head timer, a protocol's codec, the exchange handler), handing
 * each exchange to an app of the test's choosing, for listener tests that feed raw request bytes and assert raw
 * response bytes, whether the connection closed, and the WARN lines the listener logged. Time is frozen;
 * {@link #advance} moves it. The channel allocates from a {@link LeakCheck.Buffers}, so {@link #assertReleased}
 * can tell at once whether every buffer was released. Protocol tests build listeners here, not from the engine's
 * classes.
 */
public final class ListenerHarness implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final MockTicker ticker;
    private final LeakCheck.Buffers buffers;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final LogCapture log = LogCapture.exchanges();

    private ListenerHarness(EmbeddedChannel channel, MockTicker ticker, LeakCheck.Buffers buffers) {
        this.channel = channel;
        this.ticker = ticker;
        this.buffers = buffers;
    }

    /**
     * A listener named "test" speaking {@code protocol} with {@code options} and the limits a listener gets by
     * default, handing exchanges to {@code app}.
     */
    public static <O extends Record> ListenerHarness start(Protocol<O> protocol, O options, Consumer<Exchange> app) {
        return start(protocol, options, ConnectionLimits.defaults(protocol), app);
    }

    /** As {@link #start(Protocol, Record, Consumer)}, with {@code limits} (header-timeout, body-timeout...). */
    public static <O extends Record> ListenerHarness start(Protocol<O> protocol, O options, ConnectionLimits limits,
            Consumer<Exchange> app) {
        return start(protocol, options, limits, app, false, ForwardedHeaders.NONE);
    }

    /**
     * As {@link #start(Protocol, Record, ConnectionLimits, Consumer)}, on a listener that takes a PROXY protocol
     * header first (or not) and trusts the proxies of {@code forwarded}: the pipeline a listener of the engine builds.
     */
    public static <O extends Record> ListenerHarness start(Protocol<O> protocol, O options, ConnectionLimits limits,
            Consumer<Exchange> app, boolean proxyProtocol, ForwardedHeaders forwarded) {
        ListenerContext context = new ListenerContext("test", protocol.name(), protocol.multiplexed(),
                protocol.bodyBuffer(options), limits, () -> app::accept, ExchangeLog.NONE, () -> false)
                .behindProxies(proxyProtocol, forwarded);
        ChannelSetup setup = setup(protocol, options, limits);
        return open(pipeline -> Listener.initConnection(pipeline, setup, context));
    }

    /** The protocol's setup of a listener named "test" with {@code limits}, as the engine prepares it once. */
    private static <O extends Record> ChannelSetup setup(Protocol<O> protocol, O options, ConnectionLimits limits) {
        try {
            return protocol.setup(options, SocketListener.config("test", "127.0.0.1:0", protocol, limits));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The codec of {@code protocol} alone, nothing behind it: the channel's inbound messages are what it decoded. */
    public static <O extends Record> ListenerHarness codec(Protocol<O> protocol, O options) {
        return open(pipeline -> protocol.initChannel(pipeline, options, ConnectionLimits.defaults(protocol)));
    }

    private static ListenerHarness open(Consumer<ChannelPipeline> setup) {
        // a clock that moves only when the test says: the timers armed on registration count from the instant the
        // test advances from, however long the machine took in between
        MockTicker ticker = Ticker.newMockTicker();
        EmbeddedChannel channel = EmbeddedChannel.builder().register(false).hasDisconnect(false).ticker(ticker).build();
        LeakCheck.Buffers buffers = new LeakCheck.Buffers();
        channel.config().setAllocator(buffers);
        setup.accept(channel.pipeline());
        ListenerHarness harness = new ListenerHarness(channel, ticker, buffers);
        try {
            channel.register();
        } catch (Exception e) {
            harness.close();
            throw new IllegalStateException("cannot register the embedded channel", e);
        }
        return harness;
    }

    /**
     * An app that reads the whole request body, then answers 200 with the body echoed back (Content-Length set)
     * and the request's SCRIPT_NAME + PATH_INFO in an {@code X-Path} field.
     */
    public static Consumer<Exchange> echo() {
        return echo(true);
    }

    /**
     * As {@link #echo()}, without the {@code X-Path} field when {@code withPath} is false: for requests whose path may
     * hold bytes no header value can carry.
     */
    public static Consumer<Exchange> echo(boolean withPath) {
        return exchange -> readAll(exchange, Unpooled.buffer(), body -> {
            String path = exchange.environ().getOrDefault("SCRIPT_NAME", "")
                    + exchange.environ().getOrDefault("PATH_INFO", "");
            Headers headers = withPath ? Headers.of("Content-Type", "application/octet-stream", "X-Path", path)
                    : Headers.of("Content-Type", "application/octet-stream");
            exchange.response().head(200, null, headers, body.readableBytes());
            exchange.response().chunk(body, false);
            exchange.response().end();
        });
    }

    /** An app that answers 204 at once, reading none of the body. */
    public static Consumer<Exchange> ignoreBody() {
        return exchange -> {
            exchange.response().head(204, null, new Headers(), 0);
            exchange.response().end();
        };
    }

    private static void readAll(Exchange exchange, ByteBuf into, Consumer<ByteBuf> done) {
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
            write(part);
        }
        channel.runPendingTasks();
        return this;
    }

    /** Feeds one read, {@code part}, as a socket would deliver it (dropped if the connection is closed). */
    public void write(ByteBuf part) {
        buffers.fed(part);
        if (!channel.isActive()) {
            part.release();
            return;
        }
        channel.writeInbound(part);
    }

    /** Feeds {@code input} whole. */
    public ListenerHarness feed(byte[] input) {
        return feed(input, Feed.WHOLE);
    }

    /** Moves the frozen clock on by {@code millis} and runs the scheduled tasks that became due. */
    public ListenerHarness advance(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        return this;
    }

    /** Every byte written to the connection so far (buffers and file regions), releasing what it read. */
    public byte[] response() {
        written.writeBytes(Outbound.drain(channel));
        return written.toByteArray();
    }

    /** {@link #response()} as ISO-8859-1 text. */
    public String responseText() {
        return new String(response(), StandardCharsets.ISO_8859_1);
    }

    /** The WARN (and worse) lines the exchange handler logged since the start. */
    public List<String> warnings() {
        return log.warnings();
    }

    /** The exceptions the exchange handler logged with a stack trace since the start (a real bug each). */
    public List<Throwable> errors() {
        return log.thrown();
    }

    /** True while the connection is open. */
    public boolean open() {
        return channel.isOpen();
    }

    /** The bytes the channel holds: see {@link LeakCheck.Buffers#heldBytes}. */
    public long heldBytes() {
        return buffers.heldBytes();
    }

    /** Fails unless every buffer fed to the channel or allocated by it has been released. */
    public void assertReleased() {
        buffers.assertAllReleased();
    }

    /**
     * Stops capturing log lines, then fails unless every buffer fed or allocated was released. The test still ends
     * with {@code assertFalse(channel().finish())}, before this.
     */
    @Override
    public void close() {
        log.close();
        assertReleased();
    }
}
