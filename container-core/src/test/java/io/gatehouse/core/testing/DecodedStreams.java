package io.gatehouse.core.testing;

import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.RequestAbort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * What a codec emitted, stream by stream, checked as it comes: each head well formed (keys named, values present, a
 * length of -1 or more, a refused head carrying its fault, a good one its REQUEST_METHOD), no body chunk outside an
 * open body, no body past its declared length nor a last chunk short of it, no head on a stream whose body is still
 * open. Faults must be the protocol's own. The transcript (heads, faults, ends and each body's digest) does not
 * depend on how the input was cut into reads, so two runs can be compared.
 */
final class DecodedStreams {
    private final List<String> events = new ArrayList<>();
    private final Map<Integer, Body> open = new LinkedHashMap<>();
    private final List<String> bodies = new ArrayList<>();

    /** One stream's body as it arrives. */
    private static final class Body {
        final long declared;
        final CRC32 crc = new CRC32();
        long received;
        boolean ended;

        Body(long declared) {
            this.declared = declared;
            this.ended = declared == 0;
        }
    }

    /** Reads (and releases) every message the channel passed on. */
    void drain(EmbeddedChannel channel) {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            try {
                if (msg instanceof EnvironHead head) {
                    head(head);
                } else if (msg instanceof BodyChunk chunk) {
                    chunk(chunk);
                } else if (msg instanceof RequestAbort abort) {
                    end(abort.streamId(), "abort");
                } else {
                    throw new AssertionError("the codec passed on " + msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** An exception the channel threw: the protocol's fault is recorded, any other escapes as a failure. */
    void fault(RuntimeException e) {
        Throwable root = e instanceof DecoderException && e.getCause() != null ? e.getCause() : e;
        if (!(root instanceof ProtocolException failure)) {
            throw new AssertionError("an exception other than the protocol's fault escaped: " + e, e);
        }
        events.add("fault " + failure.fault() + ": " + failure.getMessage());
    }

    /** The events, then every body's length and digest. */
    List<String> transcript() {
        open.forEach((id, body) -> record(id, body));
        List<String> all = new ArrayList<>(events);
        all.addAll(bodies);
        return all;
    }

    private void head(EnvironHead head) {
        if (head.environ() == null) {
            throw new AssertionError("a head without an environ: " + head);
        }
        head.environ().forEach((key, value) -> {
            if (key == null || key.isEmpty() || value == null) {
                throw new AssertionError("an environ entry without a name or a value: " + key + "=" + value);
            }
        });
        if (head.contentLength() < EnvironHead.UNKNOWN_LENGTH) {
            throw new AssertionError("a content length of " + head.contentLength() + ": " + head);
        }
        if (head.isFailed() && head.failure().fault() == null) {
            throw new AssertionError("a refused head without a fault: " + head);
        }
        String method = head.environ().get(EnvironKeys.REQUEST_METHOD);
        if (!head.isFailed() && (method == null || method.isEmpty())) {
            throw new AssertionError("a head without REQUEST_METHOD: " + head);
        }
        Body before = open.get(head.streamId());
        if (before != null && !before.ended) {
            throw new AssertionError("a head on stream " + head.streamId() + " whose body is still open: " + head);
        }
        if (before != null) {
            record(head.streamId(), before);
        }
        open.put(head.streamId(), new Body(head.contentLength()));
        events.add("head " + head + (head.expectContinue() ? " expect-continue" : ""));
    }

    private void chunk(BodyChunk chunk) {
        Body body = open.get(chunk.streamId());
        if (body == null || body.ended) {
            throw new AssertionError(chunk + " outside an open body");
        }
        ByteBuf data = chunk.content();
        body.received += data.readableBytes();
        byte[] bytes = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), bytes);
        body.crc.update(bytes);
        if (body.declared >= 0 && body.received > body.declared) {
            throw new AssertionError("stream " + chunk.streamId() + " got " + body.received
                    + " body bytes of a declared " + body.declared);
        }
        if (chunk.isLast()) {
            if (body.declared >= 0 && body.received != body.declared) {
                throw new AssertionError("stream " + chunk.streamId() + " ended after " + body.received
                        + " body bytes of a declared " + body.declared);
            }
            end(chunk.streamId(), "last");
        }
    }

    private void end(int streamId, String how) {
        Body body = open.get(streamId);
        if (body == null) {
            throw new AssertionError(how + " of stream " + streamId + ", which has no head");
        }
        body.ended = true;
        events.add(how + " " + streamId);
    }

    private void record(int streamId, Body body) {
        bodies.add("body " + streamId + ": " + body.received + " bytes, crc " + Long.toHexString(body.crc.getValue()));
    }
}
