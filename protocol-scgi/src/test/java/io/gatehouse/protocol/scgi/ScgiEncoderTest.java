package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.vars.VarsEncoderCases;
import io.gatehouse.spi.exchange.LastResponseChunk;
import io.gatehouse.spi.exchange.ResponseHead;
import org.junit.jupiter.api.Test;

/** Responses as CGI responses with a Status field, the way front servers' SCGI modules read them. */
class ScgiEncoderTest extends VarsEncoderCases<ScgiOptions, ScgiRequestWriter> {

    ScgiEncoderTest() {
        super(new ScgiUnderTest());
    }

    @Test
    void dropsAStatusFieldOfTheAppsOwn() {
        channel.writeOutbound(new ResponseHead(request("GET", "HTTP/1.1"), 201, null,
                Headers.of("Status", "200 OK", "Location", "/new"), 0, true), LastResponseChunk.STREAM_0);
        assertEquals("Status: 201 Created\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n", written());
    }
}
