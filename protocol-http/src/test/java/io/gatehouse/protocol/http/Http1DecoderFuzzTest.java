package io.gatehouse.protocol.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.DecoderFuzz;
import io.gatehouse.core.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
            DataSize.ofBytes(2048), DataSize.ofBytes(4096), false, null, null);
    /** The longest line the decoder waits for the end of: a chunk-size line (a request or field line is shorter). */
    private static final DecoderFuzz<Http1Options> FUZZ = new DecoderFuzz<>(new Http1Protocol(), OPTIONS,
            Http1Constants.MAX_CHUNK_LINE);

    /**
     * The fixtures, and pipelined requests of 6 KiB with bodies at max-body-size: libFuzzer makes inputs no longer
     * than its longest seed (4 KiB at least), and the bound is met only by inputs longer than it.
     */
    static Stream<Arguments> decodesAnyInput() {
        List<byte[]> inputs = new ArrayList<>(Stream.concat(Http1Fixture.all("valid"), Http1Fixture.all("invalid"))
                .map(Http1Fixture::request).toList());
        byte[] body = new byte[2048];
        Arrays.fill(body, (byte) 'x');
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        pipelined.writeBytes(Http1RequestWriter.request("POST", "/a").body(body).bytes());
        pipelined.writeBytes(Http1RequestWriter.request("PUT", "/b").chunked(body, 1000, 1000, 48).bytes());
        pipelined.writeBytes(Http1RequestWriter.request("POST", "/c").field("Expect", "100-continue").body(body)
                .bytes());
        inputs.add(pipelined.toByteArray());
        return DecoderFuzz.seeds(inputs);
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void decodesAnyInput(byte @NotNull @WithLength(max = 8192) [] input, int @NotNull [] cuts) {
        FUZZ.run(input, cuts);
    }
}
