package io.gatehouse.protocol.uwsgi;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.vars.VarsProtocol;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelHandler;

/** uwsgi as the shared vars-protocol cases see it: packets with a 4-byte header, answered in HTTP/1.x. */
final class UwsgiUnderTest implements VarsProtocol<UwsgiOptions, UwsgiRequestWriter> {

    @Override
    public Protocol<UwsgiOptions> protocol() {
        return new UwsgiProtocol();
    }

    @Override
    public UwsgiOptions defaults() {
        return UwsgiOptions.DEFAULTS;
    }

    @Override
    public UwsgiOptions options(long bufferSize, int maxVars, long limitPost, long bodyBuffer) {
        return new UwsgiOptions(DataSize.ofBytes(bufferSize), maxVars, DataSize.ofBytes(limitPost),
                DataSize.ofBytes(bodyBuffer));
    }

    /** 64 KiB: a 16-bit datasize describes no more than 65535 bytes anyway. */
    @Override
    public long maxBufferSize() {
        return 65536;
    }

    @Override
    public ChannelHandler decoder(UwsgiOptions options) {
        return new UwsgiDecoder(options);
    }

    @Override
    public ChannelHandler encoder() {
        return new UwsgiEncoder();
    }

    @Override
    public UwsgiRequestWriter nginx(String method, String uri) {
        return UwsgiRequestWriter.nginx(method, uri);
    }

    @Override
    public UwsgiRequestWriter minimal() {
        return UwsgiRequestWriter.empty().var("REQUEST_METHOD", "GET");
    }

    @Override
    public UwsgiRequestWriter refused() {
        return null;
    }

    @Override
    public String refusedDetail() {
        return null;
    }

    /** A NUL in the middle: uwsgi values are length-prefixed, not terminated. */
    @Override
    public String rawValue() {
        return "caf\u00c3\u00a9 \u00ff\u0000end";
    }

    /** The 4-byte packet header holds the datasize. */
    @Override
    public int sizePrefix(byte[] request) {
        return 4;
    }

    /** HTTP/1.0 for a request of HTTP/1.0; HTTP/1.1 for any other. */
    @Override
    public String statusLine(String version, String status) {
        return ("HTTP/1.0".equals(version) ? "HTTP/1.0 " : "HTTP/1.1 ") + status;
    }
}
