package io.gatehouse.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The ways a decoder test feeds one fixture: whole, byte by byte, and in random splits (seeded, so a failure
 * repeats). Decoders must give the same result for each.
 */
public enum Feed {
    WHOLE, BYTE_BY_BYTE, RANDOM_SPLITS;

    /** Seed of the random splits; fixed so that failures reproduce. */
    public static final long SEED = 0x6a7e40005eL;

    /** Each of {@code cases} with each feed, as the arguments of a parameterized test. */
    public static Stream<Arguments> everyWay(Stream<?> cases) {
        return cases.flatMap(c -> Stream.of(values()).map(feed -> Arguments.of(c, feed)));
    }

    /** {@code input} cut into buffers the way this feed cuts it. */
    public List<ByteBuf> split(byte[] input) {
        List<ByteBuf> parts = new ArrayList<>();
        switch (this) {
            case WHOLE -> parts.add(Unpooled.wrappedBuffer(input));
            case BYTE_BY_BYTE -> {
                for (byte b : input) {
                    parts.add(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            }
            case RANDOM_SPLITS -> {
                Random random = new Random(SEED + input.length);
                for (int i = 0; i < input.length; ) {
                    int n = Math.min(input.length - i, 1 + random.nextInt(Math.max(1, Math.min(64, input.length / 3 + 1))));
                    parts.add(Unpooled.copiedBuffer(input, i, n));
                    i += n;
                }
            }
        }
        return parts;
    }
}
