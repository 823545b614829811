package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input that breaks the protocol closes its connection with one log line that names the rule, and leaves another
 * connection's request untouched. Every case is fed whole, byte by byte and in random splits.
 */
@ExtendWith(LeakCheck.class)
class FcgiMalformedTest {
    private static final int RESPONDER = FcgiConstants.ROLE_RESPONDER;

    /** A begun request 1 whose PARAMS have ended. */
    private static FcgiRequestWriter begun(String contentLength) {
        return new FcgiRequestWriter().begin(1, RESPONDER, true).params(1, nginxParams("POST", "/", contentLength));
    }

    private static FcgiRequestWriter withParams(byte[] pairs) {
        FcgiRequestWriter w = new FcgiRequestWriter().begin(1, RESPONDER, true);
        return w.stream(FcgiRecordType.PARAMS, 1, pairs).record(FcgiRecordType.PARAMS.code(), 1, new byte[0]);
    }

    static Stream<Arguments> cases() {
        List<Object[]> c = new ArrayList<>();
        c.add(new Object[] {"version 2", new FcgiRequestWriter().raw(2, 1, 1, new byte[8], 0),
            "record version 2 (expected 1)"});
        c.add(new Object[] {"version 0 after a good record", new FcgiRequestWriter().getValues().raw(0, 9, 0,
            new byte[0], 0), "record version 0"});
        c.add(new Object[] {"1-byte value length overruns", withParams(new byte[] {4, 100, 'P', 'A', 'T', 'H', 'x'}),
            "overruns its stream by 99 bytes"});
        c.add(new Object[] {"4-byte value length overruns", withParams(new byte[] {1, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, 'N', 'v'}), "overruns its stream"});
        c.add(new Object[] {"4-byte length cut off", withParams(new byte[] {1, (byte) 0x80, 0}),
            "cut off in a 4-byte length"});
        c.add(new Object[] {"empty name", withParams(new byte[] {0, 1, 'v'}), "empty name"});
        c.add(new Object[] {"STDIN before PARAMS ended", new FcgiRequestWriter().begin(1, RESPONDER, true)
            .stream(FcgiRecordType.PARAMS, 1, FcgiRequestWriter.pairs(Map.of("A", "b"))).stdin(1, new byte[3]),
            "STDIN record for request 1 before its PARAMS ended"});
        c.add(new Object[] {"PARAMS after PARAMS ended", begun("").params(1, Map.of("A", "b")),
            "after its PARAMS ended"});
        c.add(new Object[] {"STDIN after STDIN ended", begun("").stdinEnd(1).stdin(1, new byte[1]),
            "after its STDIN ended"});
        c.add(new Object[] {"reused active request id", begun("").begin(1, RESPONDER, true),
            "BEGIN_REQUEST for request 1, which is still active"});
        c.add(new Object[] {"PARAMS for an unknown id", new FcgiRequestWriter().params(9, Map.of("A", "b")),
            "PARAMS record for request 9, which is not active"});
        c.add(new Object[] {"STDIN for an unknown id", begun("").stdin(2, new byte[4]),
            "STDIN record for request 2, which is not active"});
        c.add(new Object[] {"DATA for an unknown id", new FcgiRequestWriter().record(8, 3, new byte[2]),
            "DATA record for request 3, which is not active"});
        c.add(new Object[] {"DATA for a responder", begun("").record(8, 1, new byte[2]),
            "DATA record for RESPONDER request 1"});
        c.add(new Object[] {"BEGIN_REQUEST of 7 bytes", new FcgiRequestWriter().record(1, 1, new byte[7]),
            "BEGIN_REQUEST of 7 content bytes (expected 8)"});
        c.add(new Object[] {"BEGIN_REQUEST of 16 bytes", new FcgiRequestWriter().record(1, 1, new byte[16]),
            "BEGIN_REQUEST of 16 content bytes (expected 8)"});
        c.add(new Object[] {"STDOUT sent to the application", new FcgiRequestWriter().record(6, 1, new byte[1]),
            "STDOUT record sent to the application"});
        c.add(new Object[] {"GET_VALUES with a request id", new FcgiRequestWriter().record(9, 4, new byte[0]),
            "GET_VALUES record sent to the application for request 4"});
        c.add(new Object[] {"undefined type with a request id", new FcgiRequestWriter().record(77, 1, new byte[0]),
            "record type 77 for request 1"});
        c.add(new Object[] {"STDIN past CONTENT_LENGTH", begun("10").stdin(1, new byte[11]),
            "runs past CONTENT_LENGTH 10"});
        c.add(new Object[] {"STDIN short of CONTENT_LENGTH", begun("10").stdin(1, new byte[9]).stdinEnd(1),
            "ended after 9 of CONTENT_LENGTH 10 bytes"});
        c.add(new Object[] {"malformed GET_VALUES", new FcgiRequestWriter().record(9, 0, new byte[] {5, 0, 'a'}),
            "overruns its stream"});
        List<Arguments> all = new ArrayList<>();
        for (Object[] x : c) {
            for (Feed f : Feed.values()) {
                all.add(Arguments.of(x[0], ((FcgiRequestWriter) x[1]).bytes(), x[2], f));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {3}")
    @MethodSource("cases")
    void closesTheConnectionWithOneLogLine(String name, byte[] input, String detail, Feed feed) {
        FcgiTestChannel bad = FcgiTestChannel.exchanges(FcgiOptions.DEFAULTS);
        FcgiTestChannel other = FcgiTestChannel.exchanges(FcgiOptions.DEFAULTS);
        try {
            other.write(FcgiExchangeTest.get(1, true, "/other"));
            bad.write(input, feed);
            assertFalse(bad.channel.isActive(), name + ": the connection closes");
            List<String> log = bad.warnings();
            assertEquals(1, log.size(), name + ": " + log);
            assertTrue(log.get(0).contains(detail), log.get(0));
            assertTrue(log.get(0).contains("400 Bad Request"), log.get(0));
            FcgiExchangeTest.answer(other.exchange(1), "untouched");
            assertTrue(other.output().stdoutText(1).endsWith("untouched"));
            assertTrue(other.channel.isActive());
        } finally {
            bad.finishClean();
            other.finishClean();
        }
    }
}
