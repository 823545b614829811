package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fuzz harness catches what it is there to catch, on decoders written to break one rule each. */
@ExtendWith(LeakCheck.class)
class DecoderFuzzChecksTest {
    private static final byte[] INPUT = "GET / and some more bytes".getBytes(StandardCharsets.US_ASCII);

    /** No options. */
    record None() {
    }

    /**
     * A protocol whose decoder does with each read what a decode function of {@code decoders} (one per connection)
     * does, and whose encoder drops what is written.
     */
    private static Protocol<None> protocol(Supplier<BiConsumer<ByteBuf, List<Object>>> decoders) {
        return new Protocol<>() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Class<None> optionsType() {
                return None.class;
            }

            @Override
            public void initChannel(ChannelPipeline pipeline, None options) {
                BiConsumer<ByteBuf, List<Object>> decode = decoders.get();
                pipeline.addLast(new ByteToMessageDecoder() {
                    @Override
                    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                        decode.accept(in, out);
                    }
                });
                pipeline.addLast(new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        ReferenceCountUtil.release(msg);
                        promise.setSuccess();
                    }
                });
            }

            @Override
            public int bodyBuffer(None options) {
                return 4096;
            }
        };
    }

    private static String failure(BiConsumer<ByteBuf, List<Object>> decode, long maxHeld) {
        DecoderFuzz<None> fuzz = new DecoderFuzz<>(protocol(() -> decode), new None(), maxHeld);
        return assertThrows(AssertionError.class, () -> fuzz.run(INPUT, new int[] {3, 0, 5})).getMessage();
    }

    private static EnvironHead head(long length) {
        return new EnvironHead(new Environ().append("REQUEST_METHOD", "GET"), 0, length, false);
    }

    @Test
    void passesADecoderThatKeepsTheRules() {
        new DecoderFuzz<>(protocol(() -> (in, out) -> {
            if (in.readableBytes() >= 4) {
                in.skipBytes(4);
                out.add(head(0));
            }
        }), new None(), 3).run(INPUT, new int[] {3, 0, 5});
    }

    @Test
    void catchesADecoderThatHoldsMoreThanItsLimitsAllow() {
        String message = failure((in, out) -> { }, 16);
        assertTrue(message.contains("holds 25 bytes"), message);
    }

    @Test
    void catchesAnExceptionOtherThanTheProtocolsFault() {
        String message = failure((in, out) -> {
            throw new IndexOutOfBoundsException("index 7");
        }, 100);
        assertTrue(message.contains("other than the protocol's fault"), message);
    }

    @Test
    void catchesABodyLongerThanItsDeclaredLength() {
        String message = failure((in, out) -> {
            if (in.readableBytes() >= 4) {
                out.add(head(2));
                out.add(new BodyChunk(in.readRetainedSlice(4), 0));
            }
        }, 100);
        assertTrue(message.contains("got 4 body bytes of a declared 2"), message);
    }

    @Test
    void catchesALeakedBuffer() {
        String message = failure((in, out) -> in.readRetainedSlice(in.readableBytes()), 100);
        assertTrue(message.contains("not released"), message);
    }

    @Test
    void catchesADecoderThatDependsOnHowTheInputIsCut() {
        String message = failure((in, out) -> {
            out.add(head(0).expectContinue(in.readableBytes() > 10));
            in.skipBytes(in.readableBytes());
        }, 100);
        assertTrue(message.contains("decodes differently"), message);
    }

    @Test
    void takesTheProtocolsFaultAsAnAnswer() {
        new DecoderFuzz<>(protocol(() -> {
            boolean[] failed = new boolean[1];
            return (in, out) -> {
                in.skipBytes(in.readableBytes());
                if (!failed[0]) {
                    failed[0] = true;
                    throw new ProtocolException(Fault.BAD_REQUEST, "no");
                }
            };
        }), new None(), 0).run(INPUT, new int[] {3, 0, 5});
    }
}
