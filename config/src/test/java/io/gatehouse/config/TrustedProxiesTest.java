package io.gatehouse.config;

import static io.gatehouse.config.TestConfigs.errors;
import static io.gatehouse.config.TestConfigs.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code trusted-proxies}, {@code max-forwarded-hops} and {@code proxy-protocol} keys; address literals. */
class TrustedProxiesTest {

    private static String listener(String extra) {
        return "listeners:\n  - protocol: http\n    bind: 127.0.0.1:8080\n    " + extra + "\n";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1                               | 7f000001",
        "0.0.0.0                                 | 00000000",
        "255.255.255.255                         | ffffffff",
        "::                                      | 00000000000000000000000000000000",
        "::1                                     | 00000000000000000000000000000001",
        "1::                                     | 00010000000000000000000000000000",
        "2001:DB8::cafe:1                        | 20010db80000000000000000cafe0001",
        "1:2:3:4:5:6:7:8                         | 00010002000300040005000600070008",
        "1:2:3:4:5:6:7::                         | 00010002000300040005000600070000",
        "::ffff:192.0.2.1                        | 00000000000000000000ffffc0000201",
        "64:ff9b::192.0.2.33                     | 0064ff9b0000000000000000c0000221",
        "ffff:ffff:ffff:ffff:ffff:ffff:1.2.3.4   | ffffffffffffffffffffffff01020304",
    })
    void readsAddressLiterals(String text, String hex) {
        assertArrayEquals(HexFormat.of().parseHex(hex), IpLiteral.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1..2.3", ".1.2.3",
        "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ", "0x7f.0.0.1", "localhost", "example.com", "unknown", "_hidden", ":",
        ":::", "1:", ":1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7::8",
        "fe80::1%eth0", "[::1]", "::1.2.3", "1.2.3.4::", "::ffff:1.2.3.4:5", "g::1", "1.2.3.4:80"})
    void refusesAnythingElse(String text) {
        assertNull(IpLiteral.parse(text), text);
    }

    @Test
    void readsAnIpv4MappedAddressAsIpv4() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, IpLiteral.unmapped(IpLiteral.parse("::ffff:10.0.0.1")));
        byte[] v6 = IpLiteral.parse("::1");
        assertArrayEquals(v6, IpLiteral.unmapped(v6));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8        | 10.255.1.2       | true",
        "10.0.0.0/8        | 11.0.0.1         | false",
        "192.0.2.0/25      | 192.0.2.127      | true",
        "192.0.2.0/25      | 192.0.2.128      | false",
        "192.0.2.7         | 192.0.2.7        | true",
        "192.0.2.7         | 192.0.2.8        | false",
        "0.0.0.0/0         | 203.0.113.9      | true",
        "0.0.0.0/0         | ::1              | false",
        "127.0.0.1         | ::ffff:127.0.0.1 | true",
        "::ffff:10.0.0.0/104 | 10.1.2.3       | true",
        "fd00::/8          | fd12:3456::1     | true",
        "fd00::/8          | fe80::1          | false",
        "2001:db8::/33     | 2001:db8:7fff::1 | true",
        "2001:db8::/33     | 2001:db8:8000::1 | false",
        "::1               | ::1              | true",
        "::1               | 127.0.0.1        | false",
        "::/0              | 2001:db8::1      | true",
    })
    void matchesAddressesAgainstBlocks(String block, String address, boolean inside) {
        assertEquals(inside, TrustedProxy.parse(block).contains(IpLiteral.parse(address)), block + " " + address);
    }

    @Test
    void takesUnixForUnixSocketPeersAsNginxWritesIt() {
        assertTrue(TrustedProxy.parse("unix").isUnix());
        assertTrue(TrustedProxy.parse("unix:").isUnix());
        assertFalse(TrustedProxy.parse("unix").contains(IpLiteral.parse("127.0.0.1")));
        assertEquals(TrustedProxy.parse("UNIX"), TrustedProxy.parse("unix:"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "proxy.internal | expected an IP address, a CIDR block such as 10.0.0.0/8, or unix; got 'proxy.internal'"
                + " (host names are not looked up)",
        "10.0.0.0/33    | the prefix length of '10.0.0.0/33' must be 0 to 32 for an IPv4 address",
        "fd00::/129     | the prefix length of 'fd00::/129' must be 0 to 128 for an IPv6 address",
        "10.0.0.0/      | the prefix length of '10.0.0.0/' must be 0 to 32 for an IPv4 address",
        "10.0.0.0/-1    | the prefix length of '10.0.0.0/-1' must be 0 to 32 for an IPv4 address",
        "10.1.2.3/8     | '10.1.2.3/8' has bits set after its /8 prefix; the block is 10.0.0.0/8",
        "fd12::1/16     | 'fd12::1/16' has bits set after its /16 prefix; the block is fd12:0:0:0:0:0:0:0/16",
        "1.2.3.4:80     | expected an IP address, a CIDR block such as 10.0.0.0/8, or unix; got '1.2.3.4:80'",
        "*              | expected an IP address, a CIDR block such as 10.0.0.0/8, or unix; got '*'",
        "::ffff:0:0/95  | the IPv4-mapped block '::ffff:0:0/95' needs a prefix length of at least 96",
    })
    void explainsWhatIsWrongWithAnEntry(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> TrustedProxy.parse(text))
                .getMessage());
    }

    @Test
    void bindsTheListenerKeys() {
        ListenerConfig l = parse(listener("trusted-proxies: [127.0.0.1, \"::1\", 10.0.0.0/8, unix]\n"
                + "    max-forwarded-hops: 5\n    proxy-protocol: true")).listeners().get(0);
        assertEquals(List.of("127.0.0.1", "::1", "10.0.0.0/8", "unix"),
                l.trustedProxies().stream().map(TrustedProxy::toString).toList());
        assertEquals(5, l.maxForwardedHops());
        assertTrue(l.proxyProtocol());
    }

    @Test
    void defaultsToNoTrustAndNoProxyProtocol() {
        ListenerConfig l = parse(listener("backlog: 10")).listeners().get(0);
        assertEquals(List.of(), l.trustedProxies());
        assertEquals(20, l.maxForwardedHops());
        assertFalse(l.proxyProtocol());
    }

    @Test
    void takesOneAddressWithoutAList() {
        assertEquals(List.of(TrustedProxy.parse("192.0.2.1")),
                parse(listener("trusted-proxies: 192.0.2.1")).listeners().get(0).trustedProxies());
    }

    @Test
    void reportsEachWrongEntryAtItsLineAndColumn() {
        assertEquals(List.of(
                "site.yaml:6:9: listeners[0].trusted-proxies[1]: expected an IP address, a CIDR block such as "
                        + "10.0.0.0/8, or unix; got 'lb.example' (host names are not looked up)",
                "site.yaml:7:9: listeners[0].trusted-proxies[2]: '10.1.0.0/8' has bits set after its /8 prefix; "
                        + "the block is 10.0.0.0/8"),
                errors(listener("trusted-proxies:\n      - 127.0.0.1\n      - lb.example\n      - 10.1.0.0/8")));
    }

    @Test
    void boundsTheHopLimitAndReadsProxyProtocolAsABoolean() {
        assertEquals(List.of("site.yaml:4:25: listeners[0].max-forwarded-hops: must be at least 1, got 0"),
                errors(listener("max-forwarded-hops: 0")));
        assertEquals(List.of("site.yaml:4:25: listeners[0].max-forwarded-hops: must be at most 1000, got 1001"),
                errors(listener("max-forwarded-hops: 1001")));
        assertEquals(List.of("site.yaml:4:21: listeners[0].proxy-protocol: expected true or false, got 'v2'"),
                errors(listener("proxy-protocol: v2")));
    }
}
