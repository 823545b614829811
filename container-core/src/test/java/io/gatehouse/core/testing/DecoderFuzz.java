package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.exchange.ExchangeHandler;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One fuzz input run through a protocol's codec as a listener runs it (the pipeline its {@code initChannel} sets
 * up), read by read, checking what must hold whatever the bytes:
 *
 * <ul>
 *   <li>no exception escapes but the protocol's own fault ({@code ProtocolException}, or the
 *       {@code DecoderException} wrapping it);</li>
 *   <li>what it emits is well formed ({@link DecodedStreams});</li>
 *   <li>after every read, the bytes the channel holds (the decoder's cumulation and its own buffers, once what it
 *       passed on is released) stay within {@code maxHeld}, the bound its limits promise;</li>
 *   <li>every buffer is released, the input's and the channel's own;</li>
 *   <li>the input read whole and read in the fuzzer's cuts decode alike, unless the protocol's peer sends only when
 *       asked ({@link #readsMatter()});</li>
 *   <li>the whole listener (the core's exchange handler behind the codec, an app echoing the body) serves the same
 *       reads without logging a stack trace and without leaking.</li>
 * </ul>
 *
 * Options with small limits keep the bound within reach of the fuzzer's inputs.
 */
public final class DecoderFuzz<O extends Record> {
    /** Largest read a cut makes, so that cuts stay fine-grained whatever integers the fuzzer picks. */
    static final int MAX_CUT = 512;

    private final Protocol<O> protocol;
    private final O options;
    private final long maxHeld;
    private boolean readsMatter;

    /** Runs {@code protocol} under {@code options}, whose limits let its connection hold at most {@code maxHeld}. */
    public DecoderFuzz(Protocol<O> protocol, O options, long maxHeld) {
        this.protocol = protocol;
        this.options = options;
        this.maxHeld = maxHeld;
    }

    /**
     * For a protocol whose peer sends some packets only when asked (AJP body packets answer GET_BODY_CHUNK, which
     * goes out as the connection reads): input cut into more reads may be read further, so whole and cut input are
     * not compared.
     */
    public DecoderFuzz<O> readsMatter() {
        this.readsMatter = true;
        return this;
    }

    /** Checks the codec and the listener on {@code input}, read whole and read in {@code cuts} (see {@link #reads}). */
    public void run(byte[] input, int[] cuts) {
        List<String> whole = decode(input, new int[0]);
        List<String> cut = decode(input, cuts);
        if (!readsMatter) {
            assertEquals(whole, cut, "the input decodes differently read whole and read in cuts");
        }
        serve(input, cuts);
    }

    /**
     * The reads {@code input} arrives in: 1 to {@value #MAX_CUT} bytes for each cut, then the rest at once (none for
     * no input).
     */
    public static List<ByteBuf> reads(byte[] input, int[] cuts) {
        List<ByteBuf> reads = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < cuts.length && at < input.length; i++) {
            int n = Math.min(input.length - at, 1 + Math.floorMod(cuts[i], MAX_CUT));
            reads.add(read(input, at, n));
            at += n;
        }
        if (at < input.length) {
            reads.add(read(input, at, input.length - at));
        }
        return reads;
    }

    /**
     * A read of {@code n} bytes of {@code input} from {@code at}, in a buffer of its own that the leak detector does
     * not track (LeakCheck.Buffers checks each read is released): tracked at the PARANOID level, every byte a decoder
     * looked at would cost a stack trace.
     */
    private static ByteBuf read(byte[] input, int at, int n) {
        return Unpooled.wrappedBuffer(Arrays.copyOfRange(input, at, at + n));
    }

    /**
     * The seeds of a fuzz test taking {@code (byte[] input, int[] cuts)}: each of {@code inputs} read whole, byte by
     * byte, and in random cuts of up to 64 bytes (seeded, so the seeds are the same every run).
     */
    public static Stream<Arguments> seeds(List<byte[]> inputs) {
        return inputs.stream().flatMap(input -> {
            Random random = new Random(input.length);
            int[] ragged = new int[input.length / 16 + 1];
            for (int i = 0; i < ragged.length; i++) {
                ragged[i] = random.nextInt(64);
            }
            return Stream.of(Arguments.of(input, new int[0]), Arguments.of(input, new int[input.length]),
                    Arguments.of(input, ragged));
        });
    }

    /**
     * The seeds of {@link #seeds(List)} from the fixtures of {@code protocol} (in {@code /<protocol>/valid} and
     * {@code /<protocol>/invalid}, those there are) and {@code more}.
     */
    public static Stream<Arguments> seeds(Class<?> anchor, String protocol, byte[]... more) {
        List<byte[]> inputs = new ArrayList<>();
        for (String kind : List.of("valid", "invalid")) {
            String dir = "/" + protocol + "/" + kind;
            if (anchor.getResource(dir) != null) {
                inputs.addAll(Fixtures.inputs(anchor, dir));
            }
        }
        inputs.addAll(List.of(more));
        return seeds(inputs);
    }

    /** The codec alone: what it decodes from the reads, as the transcript {@link DecodedStreams} keeps. */
    private List<String> decode(byte[] input, int[] cuts) {
        ListenerHarness codec = ListenerHarness.codec(protocol, options);
        DecodedStreams streams = new DecodedStreams();
        try {
            for (ByteBuf read : reads(input, cuts)) {
                int size = read.readableBytes();
                try {
                    codec.write(read);
                    streams.drain(codec.channel());
                } catch (RuntimeException e) {
                    // what the read decoded before the fault went up the pipeline first
                    streams.drain(codec.channel());
                    streams.fault(e);
                }
                Outbound.drain(codec.channel());
                long held = codec.heldBytes();
                if (held > maxHeld) {
                    throw new AssertionError("the connection holds " + held + " bytes after a read of " + size
                            + ", over the " + maxHeld + " its limits allow");
                }
            }
            try {
                codec.channel().finish();
                streams.drain(codec.channel());
            } catch (RuntimeException e) {
                streams.drain(codec.channel());
                streams.fault(e);
            }
            Outbound.drain(codec.channel());
        } catch (Throwable e) {
            closeAfter(codec, e);
            throw e;
        }
        codec.close();
        return streams.transcript();
    }

    /** The whole listener with an echoing app: no stack trace logged, nothing leaked. */
    private void serve(byte[] input, int[] cuts) {
        // the listener's one WARN line per refused request is checked by the listener tests; here it is noise
        Logger log = Logger.getLogger(ExchangeHandler.class.getPackageName());
        boolean console = log.getUseParentHandlers();
        log.setUseParentHandlers(false);
        try {
            serveQuietly(input, cuts);
        } finally {
            log.setUseParentHandlers(console);
        }
    }

    private void serveQuietly(byte[] input, int[] cuts) {
        ListenerHarness listener = ListenerHarness.start(protocol, options, ListenerHarness.echo(false));
        try {
            for (ByteBuf read : reads(input, cuts)) {
                listener.write(read);
                listener.channel().runPendingTasks();
                listener.response();
            }
            listener.advance(120_000); // every timer (head, idle, linger) runs out
            listener.response();
            assertEquals(List.of(), listener.errors(), "the listener logged a stack trace");
            listener.channel().close();
            listener.channel().runPendingTasks();
            listener.response();
            for (Object msg; (msg = listener.channel().readInbound()) != null; ) {
                // what a decoder still held when the connection closed reaches the pipeline's end as bytes, dropped
                String what = String.valueOf(msg);
                boolean bytes = msg instanceof ByteBuf;
                ReferenceCountUtil.release(msg);
                assertTrue(bytes, () -> what + " passed the exchange handler (decoded after the connection closed?)");
            }
            listener.channel().finishAndReleaseAll();
        } catch (Throwable e) {
            closeAfter(listener, e);
            throw e;
        }
        listener.close();
    }

    private static void closeAfter(ListenerHarness harness, Throwable failure) {
        try {
            harness.channel().finishAndReleaseAll();
            harness.close();
        } catch (Throwable more) {
            failure.addSuppressed(more);
        }
    }
}
