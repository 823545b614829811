package io.gatehouse.protocol.http;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.ProxyHeaderCases;
import io.gatehouse.spi.protocol.Protocol;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP listener with proxy-protocol: true behind haproxy's send-proxy: the header's source becomes REMOTE_ADDR
 * and REMOTE_PORT, and the peer of the fault log lines (the shared cases).
 */
class Http1ProxyHeaderTest extends ProxyHeaderCases<Http1Options> {

    @Override
    protected Protocol<Http1Options> protocol() {
        return new Http1Protocol();
    }

    @Override
    protected Http1Options options() {
        Http1Options d = Http1Options.DEFAULTS;
        return new Http1Options(d.maxRequestLine(), d.maxHeaderSize(), d.maxHeaders(), d.maxBodySize(),
                DataSize.ofKibibytes(64), false, null, null);
    }

    @Override
    protected byte[] request() {
        return "GET /x HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected byte[] refused() {
        return "GET /x HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** The header's source; the embedded channel's own peer is no address, so an empty REMOTE_ADDR. */
    @Override
    protected String remote(String addr, String port) {
        return addr == null ? "addr= port=-" : "addr=" + addr + " port=" + port;
    }

    @Override
    protected String faultPeer(String peer) {
        return peer;
    }

    @Override
    protected String statusLine(String status) {
        return "HTTP/1.1 " + status;
    }
}
