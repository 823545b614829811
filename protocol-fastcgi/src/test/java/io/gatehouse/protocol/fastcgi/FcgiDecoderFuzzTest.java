package io.gatehouse.protocol.fastcgi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.gatehouse.core.testing.DecoderFuzz;
import io.gatehouse.core.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the FastCGI codec ({@link DecoderFuzz} says what is checked), seeded with the record
 * streams captured from nginx, Apache, lighttpd and cgi-fcgi, plus multiplexed, aborted, refused and management
 * records as the tests write them. Small limits (1 KiB of PARAMS, 16 pairs, 2 KiB body, 2 requests in flight) keep
 * every limit within the fuzzer's reach.
 */
@ExtendWith(LeakCheck.class)
class FcgiDecoderFuzzTest {
    private static final int MAX_PARAMS_SIZE = 1024;
    private static final int IN_FLIGHT = 2;
    private static final FcgiOptions OPTIONS = FcgiTestChannel.options(MAX_PARAMS_SIZE, 16, 2048, IN_FLIGHT);
    /**
     * A record header and the content of a record that is buffered whole (at most the PARAMS still allowed), and
     * the PARAMS gathered for each request in flight.
     */
    private static final DecoderFuzz<FcgiOptions> FUZZ = new DecoderFuzz<>(new FcgiProtocol(), OPTIONS,
            FcgiConstants.HEADER_LENGTH + MAX_PARAMS_SIZE + (long) IN_FLIGHT * MAX_PARAMS_SIZE);

    static Stream<Arguments> decodesAnyInput() {
        byte[] body = "name=value&x=1".getBytes(StandardCharsets.US_ASCII);
        Map<String, String> post = FcgiRequestWriter.nginxParams("POST", "/form?a=1", Integer.toString(body.length));
        Map<String, String> get = FcgiRequestWriter.nginxParams("GET", "/", "");
        byte[] two = new FcgiRequestWriter().request(1, true, post, body).request(2, false, get, new byte[0]).bytes();
        byte[] interleaved = new FcgiRequestWriter().padded(false).maxRecord(7).begin(1, FcgiConstants.ROLE_RESPONDER, true)
                .begin(2, FcgiConstants.ROLE_RESPONDER, true).params(2, get).params(1, post).stdin(1, body)
                .abort(2).stdinEnd(1).bytes();
        byte[] refused = new FcgiRequestWriter().getValues("FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS")
                .begin(3, FcgiConstants.ROLE_FILTER, false).request(4, true, get, new byte[0]).bytes();
        // a query of 4 KiB, as no web server sends one: it must not be held past the PARAMS limit
        byte[] largeQuery = new FcgiRequestWriter().record(FcgiRecordType.GET_VALUES.code(), 0,
                FcgiRequestWriter.pairs(Map.of("FCGI_MAX_CONNS", "x".repeat(4000)))).bytes();
        return DecoderFuzz.seeds(FcgiDecoderFuzzTest.class, "fastcgi", two, interleaved, refused, largeQuery);
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void decodesAnyInput(byte @NotNull @WithLength(max = 8192) [] input, int @NotNull [] cuts) {
        FUZZ.run(input, cuts);
    }
}
