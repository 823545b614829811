package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Headers;
import io.gatehouse.core.proxy.ForwardedHeaders;
import io.gatehouse.core.proxy.ProxyHeaderHandler;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.protocol.ConnectionLimits;
import io.gatehouse.spi.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A listener with {@code proxy-protocol: true}, whole, on an EmbeddedChannel: v1 and v2 headers (whole, byte by
 * byte, in random splits), LOCAL and UNKNOWN, TLVs, no header, garbage, an over-long header and the header's own
 * timeout. Each protocol that takes the PROXY protocol runs these once with its own request bytes.
 *
 * @param <O> the protocol's options record
 */
@ExtendWith(LeakCheck.class)
public abstract class ProxyHeaderCases<O extends Record> {
    /** The listener's header timeout, in milliseconds. */
    protected static final int HEADER_TIMEOUT_MS = 2000;
    private static final String V1 = "PROXY TCP4 203.0.113.7 192.0.2.1 4711 80";

    private LogCapture proxyLog;

    /** The protocol under test. */
    protected abstract Protocol<O> protocol();

    /** Its options. */
    protected abstract O options();

    /** A request the listener hands to the app. */
    protected abstract byte[] request();

    /** A request the protocol's decoder refuses with 400. */
    protected abstract byte[] refused();

    /**
     * What the app sees as {@code addr=REMOTE_ADDR port=REMOTE_PORT} ("-" for none) when the connection's peer is
     * {@code addr}:{@code port}; both null for the socket's own peer, which the embedded channel does not name.
     */
    protected abstract String remote(String addr, String port);

    /** How the fault log line names a client whose connection comes from {@code peer}. */
    protected abstract String faultPeer(String peer);

    /** The first line of a response with {@code status}, e.g. "200 OK". */
    protected abstract String statusLine(String status);

    @BeforeEach
    void captureProxyLog() {
        proxyLog = LogCapture.of(ProxyHeaderHandler.class);
    }

    @AfterEach
    void stopCapturing() {
        proxyLog.close();
    }

    private ListenerHarness listener() {
        ConnectionLimits limits = ConnectionLimits.defaults(protocol())
                .withHeaderTimeout(Duration.ofMillis(HEADER_TIMEOUT_MS));
        return ListenerHarness.start(protocol(), options(), limits, showRemote(), true, ForwardedHeaders.NONE);
    }

    /** An app that answers 200 with the REMOTE_ADDR and REMOTE_PORT it saw in an X-Remote field. */
    private static Consumer<Exchange> showRemote() {
        return exchange -> {
            String seen = "addr=" + exchange.environ().get("REMOTE_ADDR") + " port="
                    + exchange.environ().getOrDefault("REMOTE_PORT", "-");
            exchange.response().head(200, null, Headers.of("X-Remote", seen, "Content-Length", "0"), 0);
            exchange.response().end();
        };
    }

    private void assertServed(ListenerHarness listener, String remote) {
        String response = listener.responseText();
        assertTrue(response.startsWith(statusLine("200 OK") + "\r\n"), response);
        assertTrue(response.contains("\r\nX-Remote: " + remote + "\r\n"), response);
        assertEquals(List.of(), listener.warnings());
        assertEquals(List.of(), proxyLog.warnings());
    }

    private void assertRefused(ListenerHarness listener, String why) {
        assertEquals("", listener.responseText(), "no answer: the bytes are not the listener's protocol");
        assertFalse(listener.open());
        assertEquals(1, proxyLog.warnings().size(), proxyLog::toString);
        assertEquals("[test] embedded: closed: " + why + " (proxy-protocol is on for this listener)",
                proxyLog.warnings().get(0));
        assertEquals(List.of(), listener.warnings());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void takesTheClientFromAV1Header(Feed feed) {
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v1(V1), request()), feed);
            assertServed(listener, remote("203.0.113.7", "4711"));
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void takesTheClientFromAV2Header(Feed feed) {
        byte[] header = ProxyHeaders.v2("2001:db8::7", 4711, "2001:db8::1", 80);
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(header, request()), feed);
            assertServed(listener, remote("2001:db8:0:0:0:0:0:7", "4711"));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void ignoresTheTlvsOfAV2Header() {
        byte[] tlvs = ProxyHeaders.before(ProxyHeaders.tlv(0x02, "www.example.org".getBytes(StandardCharsets.US_ASCII)),
                ProxyHeaders.tlv(0x04, new byte[40])); // PP2_TYPE_AUTHORITY, PP2_TYPE_NOOP
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v2("198.51.100.9", 65535, "192.0.2.1", 443, tlvs),
                    request()), Feed.RANDOM_SPLITS);
            assertServed(listener, remote("198.51.100.9", "65535"));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void keepsTheSocketsPeerForALocalHeaderAsForAHealthCheck() {
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v2Local(), request()));
            assertServed(listener, remote(null, null));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void keepsTheSocketsPeerForAV1Unknown() {
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v1("PROXY UNKNOWN"), request()));
            assertServed(listener, remote(null, null));
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void keepsTheSocketsPeerForAUnixSocketSource() {
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v2Unix("/run/client.sock", "/run/lb.sock"), request()),
                    Feed.RANDOM_SPLITS);
            assertServed(listener, remote(null, null));
            assertFalse(listener.channel().finish());
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    public void closesAConnectionThatStartsWithoutAHeaderWithOneLogLineAndNoAnswer(Feed feed) {
        try (ListenerHarness listener = listener()) {
            listener.feed(request(), feed);
            assertFalse(listener.open());
            assertEquals("", listener.responseText());
            assertEquals(1, proxyLog.warnings().size(), proxyLog::toString);
            assertTrue(proxyLog.warnings().get(0).startsWith("[test] embedded: closed: not a valid PROXY protocol "
                    + "header: "), proxyLog::toString);
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void closesOnAHeaderWithAnAddressThatIsNone() {
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v1("PROXY TCP4 203.0.113.999 192.0.2.1 4711 80"),
                    request()));
            assertRefused(listener, "not a valid PROXY protocol header: invalid IPv4 address: 203.0.113.999");
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void closesOnAV1HeaderOverTheSpecsLength() {
        byte[] header = ("PROXY TCP4 " + "1".repeat(120)).getBytes(StandardCharsets.US_ASCII);
        try (ListenerHarness listener = listener()) {
            listener.feed(header, Feed.BYTE_BY_BYTE);
            assertRefused(listener, "not a valid PROXY protocol header: header length (over 109) exceeds the "
                    + "allowed maximum (108)");
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void closesWhenNoHeaderCameWithinTheHeaderTimeout() {
        try (ListenerHarness listener = listener()) {
            listener.feed(Arrays.copyOf(ProxyHeaders.v1(V1), 10));
            listener.advance(HEADER_TIMEOUT_MS - 1);
            assertTrue(listener.open());
            listener.advance(1);
            assertRefused(listener, "no PROXY protocol header within header-timeout " + HEADER_TIMEOUT_MS + " ms");
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void givesTheRequestHeadTheWholeHeaderTimeoutAfterTheHeader() {
        try (ListenerHarness listener = listener()) {
            listener.advance(HEADER_TIMEOUT_MS - 500);
            listener.feed(ProxyHeaders.before(ProxyHeaders.v1(V1), Arrays.copyOf(request(), 3)));
            listener.advance(HEADER_TIMEOUT_MS - 1);
            assertTrue(listener.open());
            assertEquals("", listener.responseText());
            listener.advance(1);
            assertTrue(listener.responseText().startsWith(statusLine("408 Request Timeout") + "\r\n"),
                    listener::responseText);
            assertEquals(List.of(), proxyLog.warnings());
            assertFalse(listener.channel().finish());
        }
    }

    @Test
    public void namesTheProxiedClientInTheFaultLogLine() {
        try (ListenerHarness listener = listener()) {
            listener.feed(ProxyHeaders.before(ProxyHeaders.v1(V1), refused()));
            assertTrue(listener.responseText().startsWith(statusLine("400 Bad Request") + "\r\n"),
                    listener::responseText);
            assertEquals(1, listener.warnings().size(), listener.warnings()::toString);
            assertTrue(listener.warnings().get(0).startsWith("[test] " + faultPeer("203.0.113.7:4711")
                    + ": 400 Bad Request: "), listener.warnings()::toString);
            assertFalse(listener.channel().finish());
        }
    }
}
