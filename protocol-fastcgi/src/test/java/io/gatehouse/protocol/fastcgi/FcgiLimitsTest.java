package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every limit at N (taken) and N+1 (answered 431 or 413, or closed when no answer is possible any more). */
@ExtendWith(LeakCheck.class)
class FcgiLimitsTest {
    private static final int N = 2048;

    /** PARAMS of exactly {@code size} bytes: a GET for /p plus one filler pair. */
    static Map<String, String> paramsOfSize(int size) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("REQUEST_METHOD", "GET");
        p.put("SCRIPT_NAME", "/p");
        int base = FcgiRequestWriter.pairs(p).length;
        p.put("HTTP_X_FILL", "f".repeat(size - base - 1 - 4 - "HTTP_X_FILL".length()));
        assertEquals(size, FcgiRequestWriter.pairs(p).length);
        return p;
    }

    /** Feeds {@code input} to {@code ch}; returns the WARN lines logged. */
    private static List<String> run(FcgiTestChannel ch, byte[] input, Feed feed) {
        ch.write(input, feed);
        return ch.warnings();
    }

    private static void assertAnswered(FcgiTestChannel ch, List<String> log, String status, String detail) {
        FcgiRecordReader out = ch.output();
        assertTrue(out.stdoutText(1).startsWith("Status: " + status + "\r\n"), out.stdoutText(1));
        assertArrayEquals(new int[] {0, FcgiConstants.REQUEST_COMPLETE}, out.endRequest(1));
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains(detail), log.get(0));
        assertTrue(ch.exchanges.isEmpty(), "no app sees the request");
        assertFalse(ch.channel.isActive(), "the connection closes once idle");
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void takesParamsOfMaxParamsSize(Feed feed) {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(N, 1000, 0, 16));
        run(ch, new FcgiRequestWriter().maxRecord(1000).request(1, true, paramsOfSize(N), new byte[0]).bytes(), feed);
        assertEquals(1, ch.exchanges.size());
        assertEquals("/p", ch.exchange(1).environ().get("SCRIPT_NAME"));
        ch.finishClean();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersParamsOverMaxParamsSizeWith431(Feed feed) {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(N, 1000, 0, 16));
        byte[] in = new FcgiRequestWriter().maxRecord(1000).request(1, true, paramsOfSize(N + 1), new byte[5]).bytes();
        List<String> log = run(ch, in, feed);
        assertAnswered(ch, log, "431 Request Header Fields Too Large", "reach 2049 bytes, over max-params-size 2048");
        ch.finishClean();
    }

    /** A GET_VALUES query of {@code size} content bytes, asking for FCGI_MPXS_CONNS. */
    private static byte[] getValuesOfSize(int size) {
        String name = "FCGI_MPXS_CONNS";
        return new FcgiRequestWriter().record(FcgiRecordType.GET_VALUES.code(), 0, FcgiRequestWriter.pairs(
                Map.of(name, "x".repeat(size - 1 - 4 - name.length())))).bytes();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersAGetValuesQueryOfMaxParamsSize(Feed feed) {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(N, 1000, 0, 16));
        run(ch, getValuesOfSize(N), feed);
        assertTrue(ch.output().records().get(0).is(FcgiRecordType.GET_VALUES_RESULT));
        assertTrue(ch.channel.isActive());
        ch.finishClean();
    }

    /** Found by FcgiDecoderFuzzTest: the query was held whole, up to 64 KiB, whatever max-params-size said. */
    @ParameterizedTest
    @EnumSource(Feed.class)
    void closesOnAGetValuesQueryOverMaxParamsSizeBeforeHoldingIt(Feed feed) {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(N, 1000, 0, 16));
        List<String> log = run(ch, getValuesOfSize(N + 1), feed);
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("GET_VALUES of 2049 bytes, over max-params-size 2048"), log.get(0));
        assertFalse(ch.channel.isActive());
        ch.finishClean();
    }

    private static Map<String, String> pairs(int count) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("REQUEST_METHOD", "GET");
        for (int i = 1; i < count; i++) {
            p.put("HTTP_X_" + i, "v");
        }
        return p;
    }

    @Test
    void takesMaxParamsPairs() {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(N, 10, 0, 16));
        run(ch, new FcgiRequestWriter().request(1, true, pairs(10), new byte[0]).bytes(), Feed.WHOLE);
        assertEquals(1, ch.exchanges.size());
        ch.finishClean();
    }

    @Test
    void answersMoreThanMaxParamsPairsWith431() {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(N, 10, 0, 16));
        List<String> log = run(ch, new FcgiRequestWriter().request(1, true, pairs(11), new byte[0]).bytes(),
                Feed.WHOLE);
        assertAnswered(ch, log, "431 Request Header Fields Too Large", "more than max-params 10 name-value pairs");
        ch.finishClean();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void takesADeclaredBodyOfMaxBodySize(Feed feed) throws Exception {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(65536, 1000, 1000, 16));
        run(ch, new FcgiRequestWriter().request(1, true, nginxParams("POST", "/", "1000"), new byte[1000]).bytes(),
                feed);
        assertEquals(1000, ch.exchange(1).body().received());
        FcgiExchangeTest.answer(ch.exchange(1), "ok");
        assertTrue(ch.output().stdoutText(1).endsWith("ok"));
        ch.finishClean();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersADeclaredBodyOverMaxBodySizeWith413(Feed feed) {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(65536, 1000, 1000, 16));
        List<String> log = run(ch, new FcgiRequestWriter().request(1, true, nginxParams("POST", "/", "1001"),
                new byte[1001]).bytes(), feed);
        assertAnswered(ch, log, "413 Content Too Large", "CONTENT_LENGTH 1001 is over max-body-size 1000");
        ch.finishClean();
    }

    @Test
    void takesAStreamedBodyOfMaxBodySize() {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(65536, 1000, 1000, 16));
        run(ch, new FcgiRequestWriter().maxRecord(300).request(1, true, nginxParams("POST", "/", ""),
                new byte[1000]).bytes(), Feed.WHOLE);
        assertEquals(1000, ch.exchange(1).body().received());
        assertTrue(ch.channel.isActive());
        FcgiExchangeTest.answer(ch.exchange(1), "ok");
        ch.finishClean();
    }

    @Test
    void closesOnAStreamedBodyOverMaxBodySize() {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(65536, 1000, 1000, 16));
        List<String> log = run(ch, new FcgiRequestWriter().maxRecord(300).request(1, true,
                nginxParams("POST", "/", ""), new byte[1001]).bytes(), Feed.WHOLE);
        assertFalse(ch.channel.isActive(), "the head went to the app already: the only way out is to close");
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("413 Content Too Large: STDIN of request 1 reaches 1001 bytes, over "
                + "max-body-size 1000"), log.get(0));
        ch.finishClean();
    }

    @Test
    void takesRecordsOfTheLargestContentLength() {
        FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiTestChannel.options(131072, 1000, 0, 16));
        Map<String, String> p = paramsOfSize(65535);
        run(ch, new FcgiRequestWriter().request(1, true, p, new byte[65535]).bytes(), Feed.RANDOM_SPLITS);
        assertEquals(p.get("HTTP_X_FILL"), ch.exchange(1).environ().get("HTTP_X_FILL"));
        assertEquals(65535, ch.exchange(1).body().received());
        FcgiExchangeTest.answer(ch.exchange(1), "ok");
        ch.finishClean();
    }
}
