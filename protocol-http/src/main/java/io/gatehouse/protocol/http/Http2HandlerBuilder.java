package io.gatehouse.protocol.http;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Builds the HTTP/2 handler of one connection with the listener's limits: the SETTINGS it announces
 * (max-concurrent-streams, initial-window-size, max-frame-size, and max-header-size as the header list size), and
 * Netty's guards against the known floods, switched on and bounded: rapid reset (CVE-2023-44487, max-resets per
 * reset-window, then GOAWAY ENHANCE_YOUR_CALM), SETTINGS and PING floods and reset loops (acknowledgements and resets
 * queued for a client that does not read them, max-queued-control-frames), empty DATA floods, and CONTINUATION
 * floods (CVE-2024-27316: a header block is bounded by the header list size, and tiny CONTINUATION frames by count).
 */
final class Http2HandlerBuilder extends AbstractHttp2ConnectionHandlerBuilder<Http2Handler, Http2HandlerBuilder> {
    /** The longest a closing connection waits for its open streams after GOAWAY. */
    static final long GRACEFUL_SHUTDOWN_MILLIS = 5000;

    private final String listener;
    private final Http1Options options;
    private final HttpTlsEnviron tls;

    Http2HandlerBuilder(String listener, Http1Options options, HttpTlsEnviron tls) {
        this.listener = listener;
        this.options = options;
        this.tls = tls;
        Http2Options h2 = options.http2();
        // RFC 9113 deprecates stream priorities, which Netty's default byte distributor keeps a weighted tree for
        // at a cost on every stream's opening and closing: DATA is shared out evenly instead
        Http2Connection connection = new DefaultHttp2Connection(true);
        connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection,
                new UniformStreamByteDistributor(connection)));
        connection(connection);
        initialSettings(new Http2Settings()
                .maxConcurrentStreams(h2.maxConcurrentStreams())
                .initialWindowSize((int) h2.initialWindowSize().bytes())
                .maxFrameSize((int) h2.maxFrameSize().bytes())
                .maxHeaderListSize(options.maxHeaderSize().bytes()));
        decoderEnforceMaxRstFramesPerWindow(h2.maxResets(), (int) Math.max(1, h2.resetWindow().toSeconds()));
        encoderEnforceMaxQueuedControlFrames(h2.maxQueuedControlFrames());
        gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS);
    }

    /** A handler for a new connection. */
    Http2Handler newHandler() {
        return build();
    }

    @Override
    protected Http2Handler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
            Http2Settings settings) {
        Http2Handler handler = new Http2Handler(decoder, encoder, settings, listener, options.http2());
        decoder.frameListener(new Http2Requests(handler, options, tls));
        return handler;
    }
}
