package io.gatehouse.core.testing.vars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.Fixtures;
import io.gatehouse.core.testing.LeakCheck;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the codec cases of a {@link VarsProtocol} share: the protocol, its fixtures, and one connection per test
 * with the codec alone on an EmbeddedChannel, which must hold nothing more when the test ends. One instance serves
 * the whole class, so that the fixture sources can ask it which protocol it tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakCheck.class)
public abstract class VarsCodecCases<O extends Record, W extends VarsRequestWriter<W>> {
    /** The protocol under test. */
    protected final VarsProtocol<O, W> wire;
    /** The codec of the current connection. */
    protected EmbeddedChannel channel;

    protected VarsCodecCases(VarsProtocol<O, W> wire) {
        this.wire = wire;
    }

    /** The codec each connection gets: the decoder with the default options, unless a case class says else. */
    protected ChannelHandler codec() {
        return wire.decoder(wire.defaults());
    }

    @BeforeEach
    public void connect() {
        channel = new EmbeddedChannel(codec());
    }

    @AfterEach
    public void finish() {
        assertFalse(channel.finish());
    }

    /** The fixtures in {@code /<protocol>/valid}, each with each feed. */
    public Stream<Arguments> validFixtures() {
        return fixtures("valid");
    }

    /** The fixtures in {@code /<protocol>/invalid}, each with each feed. */
    public Stream<Arguments> invalidFixtures() {
        return fixtures("invalid");
    }

    private Stream<Arguments> fixtures(String kind) {
        return Feed.everyWay(Fixtures.load(getClass(), "/" + wire.protocol().name() + "/" + kind).stream());
    }

    /** Ends the connection and opens another: the decoder serves one request per connection. */
    protected void reconnect() {
        finish();
        connect();
    }

    /** Decodes {@code input} fed the way {@code feed} cuts it, which must hold exactly one request. */
    protected Decoded decodeOne(byte[] input, Feed feed) {
        List<Decoded> all = Decoded.feed(channel, input, feed);
        assertEquals(1, all.size(), "requests decoded: " + all);
        return all.get(0);
    }
}
