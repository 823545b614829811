package io.gatehouse.protocol.scgi;

import io.gatehouse.core.testing.vars.VarsListenerCases;

/** A whole scgi listener pipeline: requests in, raw response bytes out, then the close (the shared cases). */
class ScgiListenerTest extends VarsListenerCases<ScgiOptions, ScgiRequestWriter> {

    ScgiListenerTest() {
        super(new ScgiUnderTest());
    }
}
