package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.ListenerHarness;
import io.gatehouse.core.testing.Outbound;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One FastCGI connection on an EmbeddedChannel, either the codec alone (the test reads the decoded heads and
 * bodies) or a whole listener (the test answers the exchanges it routes). Every buffer the codec allocates and
 * every input buffer fed is checked to be released when the test finishes.
 */
final class FcgiTestChannel {
    final List<Exchange> exchanges = new ArrayList<>();
    final EmbeddedChannel channel;
    private final ListenerHarness listener;

    private FcgiTestChannel(FcgiOptions options, boolean withExchanges) {
        listener = withExchanges ? ListenerHarness.start(new FcgiProtocol(), options, exchanges::add)
                : ListenerHarness.codec(new FcgiProtocol(), options);
        channel = listener.channel();
    }

    /** The codec alone: inbound messages are the decoded heads and body chunks. */
    static FcgiTestChannel codec(FcgiOptions options) {
        return new FcgiTestChannel(options, false);
    }

    /** A whole listener: routed exchanges collect in {@link #exchanges}. */
    static FcgiTestChannel exchanges(FcgiOptions options) {
        return new FcgiTestChannel(options, true);
    }

    /** The default options with the given limits. */
    static FcgiOptions options(long maxParamsSize, int maxParams, long maxBodySize, int maxInFlight) {
        FcgiOptions d = FcgiOptions.DEFAULTS;
        return new FcgiOptions(DataSize.ofBytes(maxParamsSize), maxParams, DataSize.ofBytes(maxBodySize), maxInFlight,
                d.bodyBuffer());
    }

    /** Feeds {@code input} cut the way {@code feed} cuts it; returns what was decoded (codec mode). */
    List<Decoded> feed(byte[] input, Feed feed) {
        write(input, feed);
        return Decoded.drain(channel);
    }

    /** Feeds {@code input} cut the way {@code feed} cuts it, stopping early if the channel closes. */
    void write(byte[] input, Feed feed) {
        listener.feed(input, feed);
    }

    /** Feeds {@code input} whole. */
    void write(byte[] input) {
        write(input, Feed.WHOLE);
    }

    /** What the application wrote back so far. */
    FcgiRecordReader output() {
        return FcgiRecordReader.drain(channel);
    }

    /** The WARN lines the listeners logged since this connection opened. */
    List<String> warnings() {
        return listener.warnings();
    }

    /** The exchange routed for request {@code id}. */
    Exchange exchange(int id) {
        return exchanges.stream().filter(e -> e.head().streamId() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no exchange for request " + id + " in " + exchanges));
    }

    /** Closes the channel and checks that nothing is left over and every buffer was released. */
    void finishClean() {
        Decoded.drain(channel);
        Outbound.drain(channel);
        assertFalse(channel.finish(), "messages left in the channel");
        listener.close();
    }
}
