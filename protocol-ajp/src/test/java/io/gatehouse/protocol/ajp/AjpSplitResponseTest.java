package io.gatehouse.protocol.ajp;

import io.gatehouse.core.testing.SplitResponseCases;
import io.gatehouse.spi.protocol.Protocol;

/**
 * No app's head that could split a response reaches the AJP encoder (the shared cases): its length-prefixed strings
 * would carry a CR LF intact to Apache, which would write it to the client.
 */
class AjpSplitResponseTest extends SplitResponseCases<AjpOptions> {

    @Override
    protected Protocol<AjpOptions> protocol() {
        return new AjpProtocol();
    }

    @Override
    protected AjpOptions options() {
        return AjpOptions.DEFAULTS;
    }

    @Override
    protected byte[] request() {
        return AjpRequestWriter.get("/").build();
    }
}
