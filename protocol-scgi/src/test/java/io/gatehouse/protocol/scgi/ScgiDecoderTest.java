package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.core.testing.Decoded;
import io.gatehouse.core.testing.Feed;
import io.gatehouse.core.testing.vars.VarsDecoderCases;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Requests as nginx, Apache and lighttpd send them (the shared cases), and SCGI's leading CONTENT_LENGTH. */
class ScgiDecoderTest extends VarsDecoderCases<ScgiOptions, ScgiRequestWriter> {

    ScgiDecoderTest() {
        super(new ScgiUnderTest());
    }

    @Test
    void framesTheBodyByTheLeadingContentLengthOnly() {
        byte[] request = ScgiRequestWriter.nginx("POST", "/").body("abc".getBytes(StandardCharsets.US_ASCII))
                .var("CONTENT_LENGTH", "999").bytes();
        Decoded d = decodeOne(request, Feed.WHOLE);
        assertEquals("3", d.env("CONTENT_LENGTH"));
        assertEquals(3, d.head().contentLength());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), d.body());
    }

    @Test
    void acceptsLeadingZerosInTheNetstringLength() {
        byte[] plain = ScgiRequestWriter.nginx("GET", "/z").bytes();
        String text = new String(plain, StandardCharsets.ISO_8859_1);
        byte[] padded = ("00" + text).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("/z", decodeOne(padded, Feed.BYTE_BY_BYTE).env("PATH_INFO"));
    }
}
