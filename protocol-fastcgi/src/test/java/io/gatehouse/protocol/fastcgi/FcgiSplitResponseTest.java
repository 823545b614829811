package io.gatehouse.protocol.fastcgi;

import io.gatehouse.core.testing.SplitResponseCases;
import io.gatehouse.spi.protocol.Protocol;

/** No app's head that could split a response reaches the FastCGI encoder, nor the front server (the shared cases). */
class FcgiSplitResponseTest extends SplitResponseCases<FcgiOptions> {

    @Override
    protected Protocol<FcgiOptions> protocol() {
        return new FcgiProtocol();
    }

    @Override
    protected FcgiOptions options() {
        return FcgiOptions.DEFAULTS;
    }

    @Override
    protected byte[] request() {
        return new FcgiRequestWriter().request(1, false, FcgiRequestWriter.nginxParams("GET", "/", ""), new byte[0])
                .bytes();
    }
}
