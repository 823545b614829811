package io.gatehouse.protocol.http;

import io.gatehouse.core.testing.SplitResponseCases;
import io.gatehouse.spi.protocol.Protocol;

/** No app's head that could split an HTTP response reaches the HTTP encoder (the shared cases). */
class Http1SplitResponseTest extends SplitResponseCases<Http1Options> {

    @Override
    protected Protocol<Http1Options> protocol() {
        return new Http1Protocol();
    }

    @Override
    protected Http1Options options() {
        return Http1Options.DEFAULTS;
    }

    @Override
    protected byte[] request() {
        return Http1RequestWriter.request("GET", "/").bytes();
    }
}
