package io.gatehouse.protocol.uwsgi;

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
 * Coverage-guided fuzzing of the uwsgi codec ({@link DecoderFuzz} says what is checked), seeded with the packets
 * captured from nginx, Apache and lighttpd and the malformed ones of the fixtures. Small limits (1 KiB vars block,
 * 16 vars, 2 KiB body) keep every limit within the fuzzer's reach.
 */
@ExtendWith(LeakCheck.class)
class UwsgiDecoderFuzzTest {
    private static final UwsgiOptions OPTIONS = new UwsgiOptions(DataSize.ofBytes(1024), 16, DataSize.ofBytes(2048),
            DataSize.ofBytes(4096));
    /** The 4-byte header and a whole vars block: the decoder waits for no more. */
    private static final DecoderFuzz<UwsgiOptions> FUZZ = new DecoderFuzz<>(new UwsgiProtocol(), OPTIONS,
            UwsgiConstants.HEADER_SIZE + 1024);

    static Stream<Arguments> decodesAnyInput() {
        return DecoderFuzz.seeds(UwsgiDecoderFuzzTest.class, "uwsgi",
                UwsgiRequestWriter.nginx("POST", "/upload").body(new byte[300]).bytes());
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void decodesAnyInput(byte @NotNull @WithLength(max = 4096) [] input, int @NotNull [] cuts) {
        FUZZ.run(input, cuts);
    }
}
