package io.gatehouse.protocol.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.DecoderFuzz;
import io.gatehouse.core.testing.LeakCheck;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the HTTP/1.1 codec ({@link DecoderFuzz} says what is checked), seeded with every
 * request fixture, valid and invalid (pipelined requests, chunked bodies with extensions and trailers, the
 * smuggling cases). Small limits (256-byte request line, 1 KiB header section, 16 fields, 2 KiB body) keep every
 * limit within the fuzzer's reach.
 */
@ExtendWith(LeakCheck.class)
class Http1DecoderFuzzTest {
    private static final Http1Options OPTIONS = new Http1Options(DataSize.ofBytes(256), DataSize.ofBytes(1024), 16,
            DataSize.ofBytes(2048), Duration.ofSeconds(20), Duration.ofSeconds(60), DataSize.ofBytes(4096), false);
    /** The longest line the decoder waits for the end of: a chunk-size line (a request or field line is shorter). */
    private static final DecoderFuzz<Http1Options> FUZZ = new DecoderFuzz<>(new Http1Protocol(), OPTIONS,
            Http1Constants.MAX_CHUNK_LINE);

    static Stream<Arguments> decodesAnyInput() {
        return DecoderFuzz.seeds(Stream.concat(Http1Fixture.all("valid"), Http1Fixture.all("invalid"))
                .map(Http1Fixture::request).toList());
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void decodesAnyInput(byte @NotNull @WithLength(max = 8192) [] input, int @NotNull [] cuts) {
        FUZZ.run(input, cuts);
    }
}
