package io.gatehouse.protocol.uwsgi;

import io.gatehouse.core.testing.vars.VarsEncoderCases;

/** Responses as raw HTTP/1.x, the way nginx's uwsgi module reads them (the shared cases). */
class UwsgiEncoderTest extends VarsEncoderCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiEncoderTest() {
        super(new UwsgiUnderTest());
    }
}
