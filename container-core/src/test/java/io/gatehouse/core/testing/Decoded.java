package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a decoder produced for one request: its head and its body bytes (joined from the chunks, which are
 * released), with whether the body was ended by a last chunk. Requests of different streams are kept apart.
 */
public final class Decoded {
    private final EnvironHead head;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean ended;

    private Decoded(EnvironHead head) {
        this.head = head;
        this.ended = head.contentLength() == 0;
    }

    /** The head. */
    public EnvironHead head() {
        return head;
    }

    /** An environ value. */
    public String env(String key) {
        return head.environ().get(key);
    }

    /** Fails unless the environ holds each key of {@code keysAndValues} (key, value, key, value...) with its value. */
    public void assertEnv(String... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            assertEquals(keysAndValues[i + 1], env(keysAndValues[i]), keysAndValues[i]);
        }
    }

    /** The body bytes received. */
    public byte[] body() {
        return body.toByteArray();
    }

    /** True once a last chunk arrived (or the head said there is no body). */
    public boolean ended() {
        return ended;
    }

    /** Feeds {@code input} to {@code channel} the way {@code feed} cuts it, and collects every request decoded. */
    public static List<Decoded> feed(EmbeddedChannel channel, byte[] input, Feed feed) {
        for (ByteBuf part : feed.split(input)) {
            channel.writeInbound(part);
        }
        return drain(channel);
    }

    /** Collects (and releases) everything the channel has read so far. */
    public static List<Decoded> drain(EmbeddedChannel channel) {
        List<Decoded> all = new ArrayList<>();
        Map<Integer, Decoded> open = new LinkedHashMap<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            if (msg instanceof EnvironHead h) {
                Decoded d = new Decoded(h);
                all.add(d);
                open.put(h.streamId(), d);
            } else if (msg instanceof BodyChunk c) {
                Decoded d = open.get(c.streamId());
                try {
                    if (d == null) {
                        throw new AssertionError("body chunk for stream " + c.streamId() + " without a head");
                    }
                    ByteBuf data = c.content();
                    byte[] bytes = new byte[data.readableBytes()];
                    data.getBytes(data.readerIndex(), bytes);
                    d.body.writeBytes(bytes);
                    d.ended |= c.isLast();
                } finally {
                    c.release();
                }
            } else {
                throw new AssertionError("unexpected inbound message " + msg);
            }
        }
        return all;
    }
}
