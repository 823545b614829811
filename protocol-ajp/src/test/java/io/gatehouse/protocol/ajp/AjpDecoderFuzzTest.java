package io.gatehouse.protocol.ajp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import io.gatehouse.core.testing.DecoderFuzz;
import io.gatehouse.core.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the AJP13 codec ({@link DecoderFuzz} says what is checked), seeded with the packets
 * captured from mod_jk and mod_proxy_ajp, the malformed ones of the fixtures, and CPINGs and bodies as the tests
 * write them. Small limits (16 headers, 2 KiB body) keep them within the fuzzer's reach; the packet size is
 * AJP's least, 8 KiB, so inputs go up to 16 KiB. Body packets after the first come only when asked, so whole and
 * cut input are not compared.
 */
@ExtendWith(LeakCheck.class)
class AjpDecoderFuzzTest {
    private static final int PACKET_SIZE = 8192;
    private static final AjpOptions OPTIONS = AjpTestChannels.options(PACKET_SIZE, null, "x-.*", 16, 2048, false);
    /** One whole packet: the decoder waits for no more. */
    private static final DecoderFuzz<AjpOptions> FUZZ = new DecoderFuzz<>(new AjpProtocol(), OPTIONS, PACKET_SIZE)
            .readsMatter();

    static Stream<Arguments> decodesAnyInput() {
        byte[] body = "name=value&x=1".getBytes(StandardCharsets.US_ASCII);
        byte[] post = AjpRequestWriter.join(AjpRequestWriter.cping(), AjpRequestWriter.get("/a?b=c").method("POST")
                .header("Content-Length", Integer.toString(body.length)).requestAttribute("x-trace", "1")
                .build(), AjpRequestWriter.body(body));
        byte[] chunked = AjpRequestWriter.join(AjpRequestWriter.get("/up").method("PUT")
                .header("Transfer-Encoding", "chunked").build(), AjpRequestWriter.body(body),
                AjpRequestWriter.body(body), AjpRequestWriter.emptyBody());
        // a forward request near the packet size, then a body: libFuzzer makes inputs no longer than its longest
        // seed (4 KiB at least), and the bound, a whole packet, is met only by longer ones
        byte[] large = new byte[2048];
        byte[] nearPacketSize = AjpRequestWriter.join(AjpRequestWriter.get("/large").method("POST")
                .header("Content-Length", Integer.toString(large.length)).header("X-Pad", "p".repeat(7900)).build(),
                AjpRequestWriter.body(large));
        return DecoderFuzz.seeds(AjpDecoderFuzzTest.class, "ajp", post, chunked, nearPacketSize);
    }

    @MethodSource
    @FuzzTest(maxDuration = "30s")
    void decodesAnyInput(byte @NotNull @WithLength(max = 16384) [] input, int @NotNull [] cuts) {
        FUZZ.run(input, cuts);
    }
}
