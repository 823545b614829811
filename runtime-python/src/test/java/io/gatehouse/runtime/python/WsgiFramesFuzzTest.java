package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.gatehouse.core.testing.DecoderFuzz;
import io.gatehouse.core.testing.LeakCheck;
import io.gatehouse.spi.exchange.WebSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the master's side of the worker protocol: what a worker (or whatever holds its socket)
 * writes, split into frames by {@link WsgiFrameDecoder} and each payload read as the master reads its type (START,
 * FILE, MORE, HELLO, FORKED, EXITED, LOG, WS_ACCEPT, WS_CLOSE, and the text of ABORT and BOOT_FAILED). Only
 * {@link WsgiProtocolException} may escape; no frame is longer than the limit, which is 1 KiB here so that it is
 * within the fuzzer's reach; the connection never holds more than one frame; nothing leaks; and the input decodes
 * the same read whole and read in the fuzzer's cuts. Seeded with the frames the tests build.
 */
@ExtendWith(LeakCheck.class)
class WsgiFramesFuzzTest {
    private static final int LIMIT = 1024;

    static Stream<Arguments> readsAnyInput() {
        byte[] start = bytes(WsgiFramesTest.startPayload(5, "200 OK", "Content-Type", "text/plain"));
        byte[] hello = "\u0002\u0000\u0000\u0010\u0092\u0000\u0003cafe01".getBytes(StandardCharsets.ISO_8859_1);
        byte[] file = bytes(Unpooled.buffer().writeInt(7).writeLong(10).writeLong(9990));
        byte[] more = {0, 1, 0, 0};
        byte[] exited = {0, 0, 0x10, (byte) 0x92, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf7};
        byte[] accept = bytes(Unpooled.buffer().writeShort(1).writeInt(4).writeInt(5).writeInt(1)
                .writeBytes("chatX-Appy".getBytes(StandardCharsets.US_ASCII)));
        byte[] log = "\u0000\u0000\u0010\u0092\u0002line one\nline two\n".getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> inputs = List.of(
                join(frame(WsgiFrameType.START, start), frame(WsgiFrameType.DATA, "hello".getBytes(
                        StandardCharsets.US_ASCII)), frame(WsgiFrameType.END, new byte[0])),
                join(frame(WsgiFrameType.HELLO, hello), frame(WsgiFrameType.PONG, new byte[0])),
                join(frame(WsgiFrameType.START, start), frame(WsgiFrameType.MORE, more),
                        frame(WsgiFrameType.FILE, file), frame(WsgiFrameType.ABORT, "Traceback: x".getBytes(
                                StandardCharsets.UTF_8))),
                join(frame(WsgiFrameType.FORKED, "\u0000\u0000\u0010\u0093tok".getBytes(StandardCharsets.ISO_8859_1)),
                        frame(WsgiFrameType.EXITED, exited), frame(WsgiFrameType.LOG, log),
                        frame(WsgiFrameType.BOOT_FAILED, "ImportError: no module".getBytes(StandardCharsets.UTF_8))),
                join(frame(WsgiFrameType.WS_ACCEPT, accept), frame(WsgiFrameType.WS_SEND, new byte[] {1, 'h', 'i'}),
                        frame(WsgiFrameType.WS_CLOSE, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'})));
        return DecoderFuzz.seeds(inputs);
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void readsAnyInput(byte @NotNull @WithLength(max = 4096) [] input, int @NotNull [] cuts) throws Exception {
        assertEquals(read(input, new int[0]), read(input, cuts),
                "the input reads differently whole and in cuts");
    }

    /** The frames and faults of {@code input} read in {@code cuts}, checking the invariants on the way. */
    private static List<String> read(byte[] input, int[] cuts) throws Exception {
        LeakCheck.Buffers buffers = new LeakCheck.Buffers();
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(buffers);
        channel.pipeline().addLast(new WsgiFrameDecoder(LIMIT));
        channel.register();
        List<String> transcript = new ArrayList<>();
        for (ByteBuf read : DecoderFuzz.reads(input, cuts)) {
            try {
                channel.writeInbound(buffers.fed(read));
                drain(channel, transcript);
            } catch (DecoderException e) {
                if (!(e.getCause() instanceof WsgiProtocolException)) {
                    throw new AssertionError("an exception other than the protocol's escaped: " + e, e);
                }
                drain(channel, transcript); // the frames before the fault went up the pipeline first
                transcript.add("fault: " + e.getCause().getMessage());
            }
            long held = buffers.heldBytes();
            assertTrue(held < WsgiFrames.HEADER_SIZE + LIMIT, () -> "the connection holds " + held + " bytes");
        }
        channel.finishAndReleaseAll();
        buffers.assertAllReleased();
        return transcript;
    }

    private static void drain(EmbeddedChannel channel, List<String> transcript) {
        for (WsgiFrame frame; (frame = channel.readInbound()) != null; ) {
            try {
                transcript.add(frame.type() + " " + payload(frame));
            } finally {
                frame.release();
            }
        }
    }

    /** The payload as the master reads a frame of its type, or the fault it raises. */
    private static String payload(WsgiFrame frame) {
        ByteBuf p = frame.content();
        assertTrue(p.readableBytes() <= LIMIT, () -> frame + " is over the limit of " + LIMIT);
        try {
            return switch (frame.type()) {
                case START -> {
                    WsgiFrames.Start s = WsgiFrames.start(p);
                    assertTrue(s.status() >= 100 && s.status() <= 999 && s.length() >= -1, s::toString);
                    yield s.toString();
                }
                case FILE -> WsgiFrames.file(p).toString();
                case MORE -> {
                    int credit = WsgiFrames.more(p);
                    assertTrue(credit >= 1 && credit <= WsgiFrames.MAX_PAYLOAD, () -> "MORE " + credit);
                    yield Integer.toString(credit);
                }
                case HELLO -> WsgiFrames.hello(p).toString();
                case FORKED -> WsgiFrames.forked(p).toString();
                case EXITED -> WsgiFrames.exited(p).toString();
                case LOG -> WsgiFrames.output(p).toString();
                case ABORT, BOOT_FAILED -> WsgiFrames.text(p);
                case WS_ACCEPT -> WsgiFrames.accept(p).toString();
                case WS_CLOSE -> {
                    WsgiFrames.Close c = WsgiFrames.close(p);
                    assertTrue(WebSocket.sendable(c.code()), c::toString);
                    yield c.toString();
                }
                default -> p.readableBytes() + " bytes";
            };
        } catch (WsgiProtocolException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static byte[] frame(WsgiFrameType type, byte[] payload) {
        return WsgiFrameDecoderTest.frame(type, payload);
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    private static byte[] join(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }
}
