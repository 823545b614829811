package io.gatehouse.protocol.uwsgi;

import io.gatehouse.core.testing.SplitResponseCases;
import io.gatehouse.spi.protocol.Protocol;

/** No app's head that could split a response reaches the uwsgi encoder, nor nginx behind it (the shared cases). */
class UwsgiSplitResponseTest extends SplitResponseCases<UwsgiOptions> {

    @Override
    protected Protocol<UwsgiOptions> protocol() {
        return new UwsgiProtocol();
    }

    @Override
    protected UwsgiOptions options() {
        return UwsgiOptions.DEFAULTS;
    }

    @Override
    protected byte[] request() {
        return UwsgiRequestWriter.nginx("GET", "/").bytes();
    }
}
