package io.gatehouse.core.testing.vars;

import io.gatehouse.core.testing.ProxyHeaderCases;
import io.gatehouse.spi.protocol.Protocol;

/**
 * The PROXY protocol cases for a {@link VarsProtocol}: REMOTE_ADDR stays what the front server sent, while the
 * header's source is the connection's peer, which the fault log line names.
 */
public abstract class VarsProxyHeaderCases<O extends Record, W extends VarsRequestWriter<W>>
        extends ProxyHeaderCases<O> {
    /** The protocol under test. */
    protected final VarsProtocol<O, W> wire;

    protected VarsProxyHeaderCases(VarsProtocol<O, W> wire) {
        this.wire = wire;
    }

    @Override
    protected Protocol<O> protocol() {
        return wire.protocol();
    }

    @Override
    protected O options() {
        return wire.options(4096, 100, 0, 65536);
    }

    @Override
    protected byte[] request() {
        return wire.nginx("GET", "/").bytes();
    }

    @Override
    protected byte[] refused() {
        return wire.nginx("GET", "/").set("CONTENT_LENGTH", "x1").bytes();
    }

    /** The front server's REMOTE_ADDR and REMOTE_PORT, whoever the connection's peer is. */
    @Override
    protected String remote(String addr, String port) {
        return "addr=192.0.2.7 port=51000";
    }

    @Override
    protected String faultPeer(String peer) {
        return peer + " (client 192.0.2.7)";
    }

    @Override
    protected String statusLine(String status) {
        return wire.statusLine("HTTP/1.1", status);
    }
}
