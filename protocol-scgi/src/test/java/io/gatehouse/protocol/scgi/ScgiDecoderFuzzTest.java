package io.gatehouse.protocol.scgi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.DecoderFuzz;
import io.gatehouse.core.testing.LeakCheck;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the SCGI codec ({@link DecoderFuzz} says what is checked), seeded with the netstrings
 * captured from nginx, Apache and lighttpd and the malformed ones of the fixtures. Small limits (1 KiB vars block,
 * 16 vars, 2 KiB body) keep every limit within the fuzzer's reach.
 */
@ExtendWith(LeakCheck.class)
class ScgiDecoderFuzzTest {
    private static final int BUFFER_SIZE = 1024;
    private static final ScgiOptions OPTIONS = new ScgiOptions(DataSize.ofBytes(BUFFER_SIZE), 16,
            DataSize.ofBytes(2048), DataSize.ofBytes(4096));
    /** The length's digits and ':', then a whole vars block and its ',': the decoder waits for no more. */
    private static final DecoderFuzz<ScgiOptions> FUZZ = new DecoderFuzz<>(new ScgiProtocol(), OPTIONS,
            ScgiConstants.MAX_LENGTH_DIGITS + 1 + BUFFER_SIZE + 1);

    static Stream<Arguments> decodesAnyInput() {
        return DecoderFuzz.seeds(ScgiDecoderFuzzTest.class, "scgi",
                ScgiRequestWriter.nginx("POST", "/upload").body(new byte[300]).bytes());
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void decodesAnyInput(byte @NotNull @WithLength(max = 4096) [] input, int @NotNull [] cuts) {
        FUZZ.run(input, cuts);
    }
}
