package io.gatehouse.protocol.scgi;

import io.gatehouse.config.DataSize;
import io.gatehouse.core.testing.vars.VarsProtocol;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelHandler;

/** SCGI as the shared vars-protocol cases see it: a netstring of headers, answered with a CGI Status field. */
final class ScgiUnderTest implements VarsProtocol<ScgiOptions, ScgiRequestWriter> {

    @Override
    public Protocol<ScgiOptions> protocol() {
        return new ScgiProtocol();
    }

    @Override
    public ScgiOptions defaults() {
        return ScgiOptions.DEFAULTS;
    }

    @Override
    public ScgiOptions options(long bufferSize, int maxVars, long limitPost, long bodyBuffer) {
        return new ScgiOptions(DataSize.ofBytes(bufferSize), maxVars, DataSize.ofBytes(limitPost),
                DataSize.ofBytes(bodyBuffer));
    }

    /** 1 MiB: a netstring's length has no bound of its own. */
    @Override
    public long maxBufferSize() {
        return 1024 * 1024;
    }

    @Override
    public ChannelHandler decoder(ScgiOptions options) {
        return new ScgiDecoder(options);
    }

    @Override
    public ChannelHandler encoder() {
        return new ScgiEncoder();
    }

    @Override
    public ScgiRequestWriter nginx(String method, String uri) {
        return ScgiRequestWriter.nginx(method, uri);
    }

    @Override
    public ScgiRequestWriter minimal() {
        return ScgiRequestWriter.empty().var("SCGI", "1").var("REQUEST_METHOD", "GET");
    }

    @Override
    public ScgiRequestWriter refused() {
        return ScgiRequestWriter.nginx("GET", "/").remove("SCGI");
    }

    @Override
    public String refusedDetail() {
        return "no SCGI var";
    }

    /** The netstring's own ':' and ',' inside a value: the block is framed by its length alone. */
    @Override
    public String rawValue() {
        return "caf\u00c3\u00a9 \u00ff:,end";
    }

    /** The netstring's length digits and its colon. */
    @Override
    public int sizePrefix(byte[] request) {
        int colon = 0;
        while (request[colon] != ':') {
            colon++;
        }
        return colon + 1;
    }

    /** A CGI Status field, whatever the request's version. */
    @Override
    public String statusLine(String version, String status) {
        return "Status: " + status;
    }
}
