package io.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

    private static final String FORMS = "expected host:port, [v6]:port, unix:/path, fd:N or systemd:NAME";

    private static String rejection(String text) {
        return assertThrows(IllegalArgumentException.class, () -> BindAddress.parse(text)).getMessage();
    }

    @Test
    void parsesHostAndPort() {
        assertEquals(new BindAddress.Inet("127.0.0.1", 3031), BindAddress.parse("127.0.0.1:3031"));
        assertEquals(new BindAddress.Inet("app.example", 80), BindAddress.parse("app.example:80"));
    }

    @Test
    void parsesBracketedIpv6() {
        assertEquals(new BindAddress.Inet("::1", 8080), BindAddress.parse("[::1]:8080"));
        assertEquals(new BindAddress.Inet("fe80::1%eth0", 80), BindAddress.parse("[fe80::1%eth0]:80"));
    }

    @Test
    void parsesAPortAloneAsEveryInterface() {
        BindAddress.Inet any = (BindAddress.Inet) BindAddress.parse(":8080");
        assertEquals(new BindAddress.Inet("", 8080), any);
        assertTrue(any.isAnyHost());
        assertFalse(new BindAddress.Inet("localhost", 1).isAnyHost());
    }

    @Test
    void parsesUnixSocketsAbsoluteAndRelative() {
        assertEquals(new BindAddress.Unix("/run/gh/app.sock"), BindAddress.parse("unix:/run/gh/app.sock"));
        assertEquals(new BindAddress.Unix("run/app.sock"), BindAddress.parse("unix:run/app.sock"));
    }

    @Test
    void parsesInheritedDescriptorsAndSystemdNames() {
        assertEquals(new BindAddress.Fd(3), BindAddress.parse("fd:3"));
        assertEquals(new BindAddress.Systemd("gatehouse-http"), BindAddress.parse("systemd:gatehouse-http"));
    }

    @Test
    void acceptsPortsAtBothEndsOfTheRange() {
        assertEquals(0, ((BindAddress.Inet) BindAddress.parse(":0")).port());
        assertEquals(65535, ((BindAddress.Inet) BindAddress.parse(":65535")).port());
    }

    @Test
    void rejectsPortAboveRange() {
        assertEquals("port must be between 0 and 65535, got 'localhost:65536'", rejection("localhost:65536"));
        assertEquals("port must be between 0 and 65535, got '[::1]:99999999999'", rejection("[::1]:99999999999"));
    }

    @Test
    void listsTheFormsWhenNothingFits() {
        assertEquals(FORMS + ", got '8080x'", rejection("8080x"));
        assertEquals(FORMS + ", got 'host:http'", rejection("host:http"));
        assertEquals(FORMS + ", got 'bad host:80'", rejection("bad host:80"));
        assertEquals(FORMS + ", got '[::1]'", rejection("[::1]"));
        assertEquals(FORMS + ", got '[nothex]:80'", rejection("[nothex]:80"));
        assertEquals(FORMS + ", got ''", rejection(""));
    }

    @Test
    void hintsAtTheColonForABarePort() {
        assertEquals(FORMS + ", got '8080' (write ':8080' to listen on every interface)", rejection("8080"));
    }

    @Test
    void asksForBracketsAroundIpv6() {
        assertEquals("an IPv6 address needs brackets, such as [::1]:8080, got '::1:8080'", rejection("::1:8080"));
    }

    @Test
    void rejectsEmptyOrMalformedSpecialForms() {
        assertEquals("expected a socket path after 'unix:'", rejection("unix:"));
        assertEquals("expected fd:N with N a non-negative integer, got 'fd:x'", rejection("fd:x"));
        assertEquals("expected fd:N with N a non-negative integer, got 'fd:-1'", rejection("fd:-1"));
        assertTrue(rejection("systemd:").startsWith("expected systemd:NAME"));
        assertTrue(rejection("systemd:a:b").startsWith("expected systemd:NAME"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:3031", "[::1]:8080", ":80", "unix:/run/a.sock", "unix:rel/a.sock", "fd:3",
        "systemd:web"})
    void printsBindAddressesThatParseBack(String text) {
        BindAddress address = BindAddress.parse(text);
        assertEquals(text, address.toString());
        assertEquals(address, BindAddress.parse(address.toString()));
    }

    @Test
    void parsesWorkerCounts() {
        assertEquals(4, WorkerCount.parse("4").resolve());
        assertEquals(WorkerCount.of(1), WorkerCount.parse("1"));
        assertTrue(WorkerCount.parse("auto").isAuto());
        assertTrue(WorkerCount.parse("AUTO").isAuto());
        assertEquals(Runtime.getRuntime().availableProcessors(), WorkerCount.AUTO.resolve());
    }

    @Test
    void printsWorkerCountsThatParseBack() {
        assertEquals("auto", WorkerCount.AUTO.toString());
        assertEquals("8", WorkerCount.of(8).toString());
        assertEquals(WorkerCount.of(8), WorkerCount.parse(WorkerCount.of(8).toString()));
    }

    @Test
    void rejectsWorkerCountsBelowOne() {
        assertEquals("must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> WorkerCount.parse("0")).getMessage());
        assertEquals("must be at least 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> WorkerCount.parse("-2")).getMessage());
    }

    @Test
    void rejectsWorkerCountsThatAreNeitherNumberNorAuto() {
        assertEquals("expected a positive integer or 'auto', got 'many'",
                assertThrows(IllegalArgumentException.class, () -> WorkerCount.parse("many")).getMessage());
        assertEquals("expected a positive integer or 'auto', got '99999999999'",
                assertThrows(IllegalArgumentException.class, () -> WorkerCount.parse("99999999999")).getMessage());
    }
}
