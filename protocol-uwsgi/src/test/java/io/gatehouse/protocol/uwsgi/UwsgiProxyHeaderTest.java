package io.gatehouse.protocol.uwsgi;

import io.gatehouse.core.testing.vars.VarsProxyHeaderCases;

/** A uwsgi listener with proxy-protocol: true: the PROXY header before the request packet (the shared cases). */
class UwsgiProxyHeaderTest extends VarsProxyHeaderCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiProxyHeaderTest() {
        super(new UwsgiUnderTest());
    }
}
