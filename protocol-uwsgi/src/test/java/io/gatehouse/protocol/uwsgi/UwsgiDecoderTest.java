package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.vars.VarsDecoderCases;
import org.junit.jupiter.api.Test;

/** Requests as nginx, Apache and lighttpd send them (the shared cases), and uwsgi's modifiers and scheme var. */
class UwsgiDecoderTest extends VarsDecoderCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiDecoderTest() {
        super(new UwsgiUnderTest());
    }

    @Test
    void recordsModifiersAsDecimalStrings() {
        Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/").modifiers(8, 255).bytes(), Feed.WHOLE);
        assertEquals("8", d.env("uwsgi.modifier1"));
        assertEquals("255", d.env("uwsgi.modifier2"));
    }

    @Test
    void keepsModifiersAuthoritativeOverVarsOfTheSameName() {
        Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/").var("uwsgi.modifier1", "99").bytes(),
                Feed.WHOLE);
        assertEquals("0", d.env("uwsgi.modifier1"));
    }

    @Test
    void servesEveryRequestModifier() {
        for (UwsgiPacketType type : UwsgiPacketType.values()) {
            reconnect();
            Decoded d = decodeOne(UwsgiRequestWriter.nginx("GET", "/x").modifiers(type.code(), 0).bytes(),
                    Feed.WHOLE);
            assertFalse(d.head().isFailed(), type.name());
            assertEquals(Integer.toString(type.code()), d.env("uwsgi.modifier1"));
        }
    }

    @Test
    void modifier30RemovesScriptNameFromPathInfo() {
        byte[] packet = UwsgiRequestWriter.nginx("GET", "/app/x").var("SCRIPT_NAME", "/app").modifiers(30, 0)
                .bytes();
        Decoded d = decodeOne(packet, Feed.WHOLE);
        assertEquals("/app", d.env("SCRIPT_NAME"));
        assertEquals("/x", d.env("PATH_INFO"));
    }

    @Test
    void takesTheSchemeUwsgiSchemeForces() {
        byte[] forced = UwsgiRequestWriter.nginx("GET", "/").var("UWSGI_SCHEME", "https").bytes();
        assertEquals("https", decodeOne(forced, Feed.WHOLE).env("wsgi.url_scheme"));
    }
}
