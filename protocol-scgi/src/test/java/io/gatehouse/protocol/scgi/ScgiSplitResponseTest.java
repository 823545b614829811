package io.gatehouse.protocol.scgi;

import io.gatehouse.core.testing.SplitResponseCases;
import io.gatehouse.spi.protocol.Protocol;

/** No app's head that could split a response reaches the SCGI encoder, nor the front server (the shared cases). */
class ScgiSplitResponseTest extends SplitResponseCases<ScgiOptions> {

    @Override
    protected Protocol<ScgiOptions> protocol() {
        return new ScgiProtocol();
    }

    @Override
    protected ScgiOptions options() {
        return ScgiOptions.DEFAULTS;
    }

    @Override
    protected byte[] request() {
        return ScgiRequestWriter.nginx("GET", "/").bytes();
    }
}
