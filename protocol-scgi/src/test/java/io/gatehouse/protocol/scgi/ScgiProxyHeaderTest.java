package io.gatehouse.protocol.scgi;

import io.gatehouse.core.testing.vars.VarsProxyHeaderCases;

/** A scgi listener with proxy-protocol: true: the PROXY header before the request packet (the shared cases). */
class ScgiProxyHeaderTest extends VarsProxyHeaderCases<ScgiOptions, ScgiRequestWriter> {

    ScgiProxyHeaderTest() {
        super(new ScgiUnderTest());
    }
}
