package io.gatehouse.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.config.IpLiteral;
import io.gatehouse.config.TrustedProxy;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The right-most untrusted address, found as nginx's realip module with {@code real_ip_recursive on} finds it, from
 * X-Forwarded-For and from RFC 7239 Forwarded: trusted and untrusted peers, chains, IPv6, ports, spoofing attempts
 * and malformed input. Each row: the peer (REMOTE_ADDR as the listener gave it), the header's value, and the
 * REMOTE_ADDR and REMOTE_PORT the app then sees ("-" for none).
 */
class ForwardedWalkTest {
    static final List<String> TRUSTED = List.of("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8");

    static ForwardedHeaders forwarding(List<String> trusted, int maxHops) {
        return ForwardedHeaders.of("test", trusted.stream().map(TrustedProxy::parse).toList(), maxHops);
    }

    /** An environ as a listener makes it for a request from {@code peer}, port 5555, with {@code vars}. */
    static Environ request(String peer, String... vars) {
        Environ env = new Environ();
        env.append("REMOTE_ADDR", peer);
        env.append("REMOTE_PORT", "5555");
        env.append("HTTP_HOST", "app.internal:8080");
        env.append("SERVER_NAME", "app.internal");
        env.append("SERVER_PORT", "8080");
        env.append("wsgi.url_scheme", "http");
        for (int i = 0; i < vars.length; i += 2) {
            env.append(vars[i], vars[i + 1]);
        }
        return env;
    }

    static Environ applied(String peer, String... vars) {
        Environ env = request(peer, vars);
        forwarding(TRUSTED, 20).apply(env);
        return env;
    }

    static String port(Environ env) {
        return env.getOrDefault("REMOTE_PORT", "-");
    }

    @ParameterizedTest(name = "{0} sends X-Forwarded-For: {1}")
    @CsvSource(delimiter = '|', value = {
        // a trusted peer names the client
        "127.0.0.1        | 203.0.113.7                     | 203.0.113.7       | -",
        "10.1.2.3         | 203.0.113.7                     | 203.0.113.7       | -",
        // any other peer is the client, whatever it says
        "192.0.2.1        | 203.0.113.7                     | 192.0.2.1         | 5555",
        "192.0.2.1        | 127.0.0.1                       | 192.0.2.1         | 5555",
        "11.0.0.1         | 10.0.0.2                        | 11.0.0.1          | 5555",
        // spoofing: what the client wrote left of what the trusted proxy appended is never believed
        "127.0.0.1        | 198.51.100.1, 203.0.113.7       | 203.0.113.7       | -",
        "127.0.0.1        | 127.0.0.1, 203.0.113.7          | 203.0.113.7       | -",
        "127.0.0.1        | 10.9.9.9, 203.0.113.7, 10.0.0.2 | 203.0.113.7       | -",
        // a chain of trusted proxies is walked from the right
        "127.0.0.1        | 203.0.113.7, 10.0.0.2           | 203.0.113.7       | -",
        "127.0.0.1        | 198.51.100.1, 203.0.113.7, 10.0.0.3, 10.0.0.2 | 203.0.113.7 | -",
        // every hop trusted: the left-most, as nginx does
        "127.0.0.1        | 10.0.0.3, 10.0.0.2              | 10.0.0.3          | -",
        // something that is no address stops the walk; the last address walked stands
        "127.0.0.1        | garbage, 10.0.0.2               | 10.0.0.2          | -",
        "127.0.0.1        | unknown, 10.0.0.2               | 10.0.0.2          | -",
        "127.0.0.1        | 203.0.113.7, garbage            | 127.0.0.1         | 5555",
        "127.0.0.1        | garbage                         | 127.0.0.1         | 5555",
        "127.0.0.1        | unknown                         | 127.0.0.1         | 5555",
        "127.0.0.1        | _hidden                         | 127.0.0.1         | 5555",
        "127.0.0.1        | 203.0.113.7 junk                | 127.0.0.1         | 5555",
        "127.0.0.1        | 203.0.113.7:99999               | 127.0.0.1         | 5555",
        "127.0.0.1        | 203.0.113.7:                    | 127.0.0.1         | 5555",
        "127.0.0.1        | 0203.0.113.7                    | 127.0.0.1         | 5555",
        "127.0.0.1        | [2001:db8::7                    | 127.0.0.1         | 5555",
        "127.0.0.1        | [203.0.113.7]x                  | 127.0.0.1         | 5555",
        "127.0.0.1        | \"203.0.113.7\"                 | 127.0.0.1         | 5555",
        // ports and IPv6
        "127.0.0.1        | 203.0.113.7:4711                | 203.0.113.7       | 4711",
        "127.0.0.1        | 2001:db8::7                     | 2001:db8::7       | -",
        "127.0.0.1        | [2001:db8::7]                   | 2001:db8::7       | -",
        "127.0.0.1        | [2001:db8::7]:4711              | 2001:db8::7       | 4711",
        "127.0.0.1        | 203.0.113.7:_obf                | 203.0.113.7       | -",
        "0:0:0:0:0:0:0:1  | 203.0.113.7                     | 203.0.113.7       | -",
        "::1              | 2001:db8::7, fd00::2            | 2001:db8::7       | -",
        "::ffff:10.0.0.1  | 203.0.113.7                     | 203.0.113.7       | -",
        "127.0.0.1        | ::ffff:10.0.0.9, 10.0.0.2       | ::ffff:10.0.0.9   | -",
        "fe80::1%eth0     | 203.0.113.7                     | fe80::1%eth0      | 5555",
        // list syntax: spaces, empty elements
        "127.0.0.1        | 203.0.113.7 ,10.0.0.2           | 203.0.113.7       | -",
        "127.0.0.1        | 203.0.113.7, , 10.0.0.2,        | 203.0.113.7       | -",
        "127.0.0.1        | ' ,, '                          | 127.0.0.1         | 5555",
    })
    void walksXForwardedFor(String peer, String header, String addr, String port) {
        Environ env = applied(peer, "HTTP_X_FORWARDED_FOR", header);
        assertEquals(addr, env.get("REMOTE_ADDR"));
        assertEquals(port, port(env));
    }

    @ParameterizedTest(name = "{0} sends Forwarded: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "127.0.0.1 | for=203.0.113.7                                  | 203.0.113.7          | -",
        "192.0.2.1 | for=203.0.113.7                                  | 192.0.2.1            | 5555",
        "127.0.0.1 | For=\"[2001:db8:cafe::17]:4711\"                 | 2001:db8:cafe::17    | 4711",
        "127.0.0.1 | for=\"[2001:db8:cafe::17]\"                      | 2001:db8:cafe::17    | -",
        "127.0.0.1 | for=\"192.0.2.43:47011\"                         | 192.0.2.43           | 47011",
        "127.0.0.1 | for=[2001:db8::1]:80                             | 2001:db8::1          | 80",
        "127.0.0.1 | FOR=203.0.113.7;PROTO=http;By=10.0.0.1           | 203.0.113.7          | -",
        "127.0.0.1 | for=192.0.2.60;proto=http;by=203.0.113.43        | 192.0.2.60           | -",
        "127.0.0.1 | for=203.0.113.7;ext=\"a,b;c\"                    | 203.0.113.7          | -",
        "127.0.0.1 | for=198.51.100.1, for=203.0.113.7                | 203.0.113.7          | -",
        "127.0.0.1 | for=203.0.113.7, for=10.0.0.2                    | 203.0.113.7          | -",
        "127.0.0.1 | for=10.0.0.3,for=10.0.0.2                        | 10.0.0.3             | -",
        "127.0.0.1 | for=unknown                                      | 127.0.0.1            | 5555",
        "127.0.0.1 | for=_hidden, for=10.0.0.2                        | 10.0.0.2             | -",
        "127.0.0.1 | for=\"_gazonk\"                                  | 127.0.0.1            | 5555",
        "127.0.0.1 | for=\"203.0.113.7:_port\"                        | 203.0.113.7          | -",
        "127.0.0.1 | proto=https                                      | 127.0.0.1            | 5555",
        "127.0.0.1 | by=10.0.0.1                                      | 127.0.0.1            | 5555",
        // malformed elements name nothing, and stop the walk
        "127.0.0.1 | for=203.0.113.7;for=198.51.100.1                 | 127.0.0.1            | 5555",
        "127.0.0.1 | for=\"203.0.113.7                                | 127.0.0.1            | 5555",
        "127.0.0.1 | for=203.0.113.7, garbage                         | 127.0.0.1            | 5555",
        "127.0.0.1 | garbage, for=10.0.0.2                            | 10.0.0.2             | -",
        "127.0.0.1 | for = 203.0.113.7                                | 127.0.0.1            | 5555",
        "127.0.0.1 | for=203.0.113.7;                                 | 127.0.0.1            | 5555",
        "127.0.0.1 | for=                                             | 127.0.0.1            | 5555",
        "127.0.0.1 | =203.0.113.7                                     | 127.0.0.1            | 5555",
        "127.0.0.1 | for=\"1.2.3.4\\\"\"                              | 127.0.0.1            | 5555",
        "127.0.0.1 | for=\"a, for=10.0.0.3\", for=10.0.0.2            | 10.0.0.2             | -",
        "127.0.0.1 | for=203.0.113.7 x                                | 127.0.0.1            | 5555",
        "127.0.0.1 | ,,for=203.0.113.7,,                              | 203.0.113.7          | -",
    })
    void walksForwarded(String peer, String header, String addr, String port) {
        Environ env = applied(peer, "HTTP_FORWARDED", header);
        assertEquals(addr, env.get("REMOTE_ADDR"));
        assertEquals(port, port(env));
    }

    @Test
    void keepsTheHeadersForTheAppAndThePeerUnderItsOwnKey() {
        Environ env = applied("127.0.0.1", "HTTP_X_FORWARDED_FOR", "198.51.100.1, 203.0.113.7");
        assertEquals("198.51.100.1, 203.0.113.7", env.get("HTTP_X_FORWARDED_FOR"));
        assertEquals("127.0.0.1", env.get("gatehouse.orig.REMOTE_ADDR"));
        assertEquals("5555", env.get("gatehouse.orig.REMOTE_PORT"));
        assertNull(env.get("gatehouse.orig.wsgi.url_scheme"), "only what changed is kept");
    }

    @Test
    void changesNothingFromAnUntrustedPeer() {
        Environ env = applied("192.0.2.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7", "HTTP_X_FORWARDED_PROTO", "https",
                "HTTP_X_FORWARDED_HOST", "evil.example", "HTTP_FORWARDED", "for=1.2.3.4;proto=https");
        assertEquals(request("192.0.2.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7", "HTTP_X_FORWARDED_PROTO", "https",
                "HTTP_X_FORWARDED_HOST", "evil.example", "HTTP_FORWARDED", "for=1.2.3.4;proto=https").toMap(),
                env.toMap());
    }

    @Test
    void trustsUnixSocketPeersOnlyWhenToldTo() {
        for (String peer : List.of("", "unix:")) {
            Environ env = request(peer, "HTTP_X_FORWARDED_FOR", "203.0.113.7");
            forwarding(List.of("unix"), 20).apply(env);
            assertEquals("203.0.113.7", env.get("REMOTE_ADDR"));
            Environ untrusted = request(peer, "HTTP_X_FORWARDED_FOR", "203.0.113.7");
            forwarding(List.of("127.0.0.1"), 20).apply(untrusted);
            assertEquals(peer, untrusted.get("REMOTE_ADDR"));
        }
        Environ env = request("127.0.0.1", "HTTP_X_FORWARDED_FOR", "203.0.113.7");
        forwarding(List.of("unix"), 20).apply(env);
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
    }

    @Test
    void isOffWithoutTrustedProxies() {
        assertFalse(forwarding(List.of(), 20).enabled());
        assertTrue(forwarding(List.of("127.0.0.1"), 20).enabled());
    }

    /** Random bytes of the alphabets these headers use never throw, and never yield an address nobody wrote. */
    @Test
    void survivesRandomInput() {
        Random random = new Random(7);
        String alphabet = "0123456789abcdef.:[]_,; =\"\\forpthsuynkw\t\u00ff-";
        for (int round = 0; round < 20_000; round++) {
            char[] text = new char[random.nextInt(60)];
            for (int i = 0; i < text.length; i++) {
                text[i] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String header = new String(text);
            Environ env = applied("127.0.0.1", random.nextBoolean() ? "HTTP_FORWARDED" : "HTTP_X_FORWARDED_FOR",
                    header, "HTTP_X_FORWARDED_PROTO", random.nextInt(4) == 0 ? header : "https");
            String addr = env.get("REMOTE_ADDR");
            // an address can hold no backslash, so one read from a quoted string shows in the header without them
            assertTrue(addr.equals("127.0.0.1")
                    || (header.replace("\\", "").contains(addr) && IpLiteral.parse(addr) != null),
                    () -> header + " gave " + addr);
        }
    }

    @Test
    void readsEveryFormOfNodeTheRfcShows() {
        ForwardedNode v6 = ForwardedNode.parse("[2001:db8:cafe::17]:4711");
        assertEquals("2001:db8:cafe::17", v6.address());
        assertEquals("4711", v6.port());
        assertEquals(16, v6.bytes().length);
        assertEquals(Arrays.toString(new byte[] {(byte) 192, 0, 2, 43}),
                Arrays.toString(ForwardedNode.parse("192.0.2.43:47011").bytes()));
        assertNull(ForwardedNode.parse("unknown"));
        assertNull(ForwardedNode.parse("_hidden"));
        assertNull(ForwardedNode.parse(null));
    }
}
