package io.gatehouse.protocol.uwsgi;

import io.gatehouse.core.testing.vars.VarsListenerCases;

/** A whole uwsgi listener pipeline: request packets in, raw response bytes out, then the close (the shared cases). */
class UwsgiListenerTest extends VarsListenerCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiListenerTest() {
        super(new UwsgiUnderTest());
    }
}
