package io.gatehouse.protocol.fastcgi;

import static io.gatehouse.protocol.fastcgi.FcgiRequestWriter.nginxParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.LeakCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Management records (FCGI_GET_VALUES, FCGI_UNKNOWN_TYPE) and requests refused in records: roles other than
 * RESPONDER, and requests beyond max-requests-in-flight.
 */
@ExtendWith(LeakCheck.class)
class FcgiManagementTest {
    private FcgiTestChannel ch = FcgiTestChannel.exchanges(FcgiOptions.DEFAULTS);

    @AfterEach
    void finish() {
        ch.finishClean();
    }

    private void use(FcgiOptions options) {
        ch.finishClean();
        ch = FcgiTestChannel.exchanges(options);
    }

    private static byte[] begin(int id, int role, boolean keepConn) {
        return new FcgiRequestWriter().begin(id, role, keepConn).bytes();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersGetValuesTruthfullyFromTheOptions(Feed feed) {
        ch.write(new FcgiRequestWriter().getValues("FCGI_MPXS_CONNS", "FCGI_MAX_CONNS", "X_UNKNOWN", "FCGI_MAX_REQS",
                "FCGI_MAX_CONNS").bytes(), feed);
        List<FcgiRecordReader.Record> out = ch.output().records();
        assertEquals(1, out.size());
        assertTrue(out.get(0).is(FcgiRecordType.GET_VALUES_RESULT));
        assertEquals(0, out.get(0).id());
        Map<String, String> values = FcgiRecordReader.pairs(out.get(0).content());
        assertEquals(List.of("FCGI_MPXS_CONNS", "FCGI_MAX_CONNS", "FCGI_MAX_REQS"), List.copyOf(values.keySet()),
                "in the order asked, once each, unknown names left out");
        assertEquals("1", values.get("FCGI_MPXS_CONNS"));
        assertEquals("16384", values.get("FCGI_MAX_CONNS"), "the listener's max-connections");
        assertEquals(Long.toString(16384L * 16), values.get("FCGI_MAX_REQS"));
        assertTrue(ch.channel.isActive());
    }

    @Test
    void saysItDoesNotMultiplexWhenOneRequestIsAllowedInFlight() {
        use(FcgiTestChannel.options(65536, 1000, 0, 1));
        ch.write(new FcgiRequestWriter().getValues("FCGI_MPXS_CONNS", "FCGI_MAX_REQS").bytes());
        Map<String, String> values = FcgiRecordReader.pairs(ch.output().records().get(0).content());
        assertEquals(Map.of("FCGI_MPXS_CONNS", "0", "FCGI_MAX_REQS", "16384"), values);
    }

    @Test
    void answersAnEmptyGetValuesWithAnEmptyResult() {
        ch.write(new FcgiRequestWriter().getValues().bytes());
        FcgiRecordReader.Record r = ch.output().records().get(0);
        assertTrue(r.is(FcgiRecordType.GET_VALUES_RESULT));
        assertEquals(0, r.content().length);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void answersUnknownTypeToOtherManagementRecords(Feed feed) {
        ch.write(new FcgiRequestWriter().record(42, 0, new byte[] {1, 2, 3}).record(200, 0, new byte[0])
                .record(FcgiRecordType.GET_VALUES_RESULT.code(), 0, new byte[0]).bytes(), feed);
        List<FcgiRecordReader.Record> out = ch.output().records();
        assertEquals(3, out.size());
        int[] types = {42, 200, FcgiRecordType.GET_VALUES_RESULT.code()};
        for (int i = 0; i < 3; i++) {
            assertTrue(out.get(i).is(FcgiRecordType.UNKNOWN_TYPE));
            assertEquals(0, out.get(i).id());
            assertEquals(8, out.get(i).content().length);
            assertEquals(types[i], out.get(i).content()[0] & 0xff);
        }
        assertTrue(ch.channel.isActive());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void refusesAuthorizerWithUnknownRoleAndCarriesOn(Feed feed) {
        FcgiRequestWriter w = new FcgiRequestWriter().begin(5, FcgiConstants.ROLE_AUTHORIZER, true);
        w.params(5, nginxParams("GET", "/auth", "")).stdinEnd(5);
        w.request(6, true, nginxParams("GET", "/after", ""), new byte[0]);
        ch.write(w.bytes(), feed);
        FcgiRecordReader out = ch.output();
        assertArrayEquals(new int[] {0, FcgiConstants.UNKNOWN_ROLE}, out.endRequest(5));
        assertEquals(0, out.stdout(5).length);
        assertEquals(1, ch.exchanges.size(), "only the responder request reaches an app");
        FcgiExchangeTest.answer(ch.exchange(6), "ok");
        assertTrue(ch.output().stdoutText(6).endsWith("ok"));
    }

    @Test
    void refusesFilterAndSkipsItsDataStream() {
        FcgiRequestWriter w = new FcgiRequestWriter().begin(2, FcgiConstants.ROLE_FILTER, true);
        w.params(2, nginxParams("GET", "/f", "")).stdinEnd(2);
        w.stream(FcgiRecordType.DATA, 2, new byte[500]).record(FcgiRecordType.DATA.code(), 2, new byte[0]);
        ch.write(w.bytes());
        assertArrayEquals(new int[] {0, FcgiConstants.UNKNOWN_ROLE}, ch.output().endRequest(2));
        assertTrue(ch.channel.isActive());
    }

    @Test
    void closesAfterARefusalWithoutKeepConn() {
        ch.write(begin(1, 99, false));
        assertArrayEquals(new int[] {0, FcgiConstants.UNKNOWN_ROLE}, ch.output().endRequest(1));
        assertFalse(ch.channel.isActive());
    }

    /** Found by FcgiDecoderFuzzTest: the records behind the refusal, in the same read, were decoded and served. */
    @Test
    void readsNothingMoreOnceARefusalWithoutKeepConnClosedTheConnection() {
        FcgiRequestWriter w = new FcgiRequestWriter().begin(1, 99, false);
        w.request(2, true, nginxParams("GET", "/after", ""), new byte[0]);
        ch.write(w.bytes());
        assertArrayEquals(new int[] {0, FcgiConstants.UNKNOWN_ROLE}, ch.output().endRequest(1));
        assertFalse(ch.channel.isActive());
        assertEquals(0, ch.exchanges.size(), "no app runs for a connection already closed");
    }

    @Test
    void takesMaxRequestsInFlightAndRefusesOneMoreWithOverloaded() {
        use(FcgiTestChannel.options(65536, 1000, 0, 2));
        ch.write(FcgiExchangeTest.get(1, true, "/a"));
        ch.write(FcgiExchangeTest.get(2, true, "/b"));
        assertEquals(2, ch.exchanges.size(), "N = 2 requests in flight are taken");
        ch.write(FcgiExchangeTest.get(3, true, "/c"));
        assertEquals(2, ch.exchanges.size());
        assertArrayEquals(new int[] {0, FcgiConstants.OVERLOADED}, ch.output().endRequest(3));
        FcgiExchangeTest.answer(ch.exchange(1), "one");
        ch.output();
        ch.write(FcgiExchangeTest.get(3, true, "/c"));
        assertEquals(3, ch.exchanges.size(), "a slot is free again once a request ends");
        FcgiExchangeTest.answer(ch.exchange(2), "two");
        FcgiExchangeTest.answer(ch.exchanges.get(2), "three");
        assertTrue(ch.output().stdoutText(3).endsWith("three"));
        assertTrue(ch.channel.isActive());
    }

    @Test
    void refusesASecondConcurrentRequestWithCantMpxConnWhenOneIsAllowed() {
        use(FcgiTestChannel.options(65536, 1000, 0, 1));
        ch.write(FcgiExchangeTest.get(1, true, "/a"));
        ch.write(FcgiExchangeTest.get(2, true, "/b"));
        assertArrayEquals(new int[] {0, FcgiConstants.CANT_MPX_CONN}, ch.output().endRequest(2));
        assertEquals(1, ch.exchanges.size());
        FcgiExchangeTest.answer(ch.exchange(1), "one");
        assertTrue(ch.output().stdoutText(1).endsWith("one"));
    }
}
