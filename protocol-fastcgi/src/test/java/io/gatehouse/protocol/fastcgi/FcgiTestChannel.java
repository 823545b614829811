package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.core.exchange.ExchangeLog;
import io.gatehouse.core.exchange.HeadTimer;
import io.gatehouse.core.exchange.ListenerContext;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An EmbeddedChannel with the FastCGI codec, either alone (the test reads the decoded heads and bodies) or with the
 * core's exchange handler behind it (the test answers the exchanges it routes). Every buffer the codec allocates
 * and every input buffer fed is checked to be released when the test finishes.
 */
final class FcgiTestChannel {
    final EmbeddedChannel channel;
    final List<Exchange> exchanges = new ArrayList<>();
    private final TrackingAllocator allocator = new TrackingAllocator();
    private final List<ByteBuf> fed = new ArrayList<>();

    private FcgiTestChannel(FcgiOptions options, boolean withExchanges) {
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        HeadTimer timer = new HeadTimer(Duration.ZERO, Duration.ZERO);
        if (withExchanges) {
            channel.pipeline().addLast("head-timer", timer);
        }
        new FcgiProtocol().initChannel(channel.pipeline(), options);
        if (withExchanges) {
            ListenerContext context = new ListenerContext("fcgi-test", "fastcgi", true, 64 * 1024, Duration.ZERO,
                    Duration.ZERO, () -> exchanges::add, ExchangeLog.NONE, () -> false);
            channel.pipeline().addLast("exchange", new ExchangeHandler(context, timer));
        }
    }

    /** The codec alone: inbound messages are the decoded heads and body chunks. */
    static FcgiTestChannel codec(FcgiOptions options) {
        return new FcgiTestChannel(options, false);
    }

    /** The codec and the core's exchange handler: routed exchanges collect in {@link #exchanges}. */
    static FcgiTestChannel exchanges(FcgiOptions options) {
        return new FcgiTestChannel(options, true);
    }

    /** The default options with the given limits. */
    static FcgiOptions options(long maxParamsSize, int maxParams, long maxBodySize, int maxInFlight) {
        FcgiOptions d = FcgiOptions.DEFAULTS;
        return new FcgiOptions(DataSize.ofBytes(maxParamsSize), maxParams, DataSize.ofBytes(maxBodySize), maxInFlight,
                d.maxConnections(), d.headerTimeout(), d.keepaliveTimeout(), d.bodyBuffer());
    }

    /** Feeds {@code input} cut the way {@code feed} cuts it; returns what was decoded (codec mode). */
    List<Decoded> feed(byte[] input, Feed feed) {
        write(input, feed);
        return Decoded.drain(channel);
    }

    /** Feeds {@code input} cut the way {@code feed} cuts it, stopping early if the channel closes. */
    void write(byte[] input, Feed feed) {
        for (ByteBuf part : feed.split(input)) {
            fed.add(part);
            if (channel.isOpen()) {
                channel.writeInbound(part);
            } else {
                part.release();
            }
        }
        channel.runPendingTasks();
    }

    /** Feeds {@code input} whole. */
    void write(byte[] input) {
        write(input, Feed.WHOLE);
    }

    /** What the application wrote back so far. */
    FcgiRecordReader output() {
        return FcgiRecordReader.drain(channel);
    }

    /** The exchange routed for request {@code id}. */
    Exchange exchange(int id) {
        return exchanges.stream().filter(e -> e.head().streamId() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no exchange for request " + id + " in " + exchanges));
    }

    /** Closes the channel and checks that nothing is left over and every buffer was released. */
    void finishClean() {
        Decoded.drain(channel);
        FcgiRecordReader.outbound(channel);
        assertFalse(channel.finish(), "messages left in the channel");
        for (ByteBuf part : fed) {
            assertEquals(0, part.refCnt(), "an input buffer was not released");
        }
        allocator.assertAllReleased();
    }
}
