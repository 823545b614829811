package io.gatehouse.protocol.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;

/**
 * Waits for a TLS connection's handshake, then installs the codec ALPN chose: HTTP/2 for {@code h2}, HTTP/1.1 for
 * {@code http/1.1} or when the client offered neither. The connection's TLS variables (protocol, cipher, client
 * certificate) are read once here, for every request on it.
 */
final class HttpAlpnHandler extends ApplicationProtocolNegotiationHandler {
    private final HttpCodecs codecs;
    private final boolean clientAuth;

    HttpAlpnHandler(HttpCodecs codecs, boolean clientAuth) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.codecs = codecs;
        this.clientAuth = clientAuth;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        HttpTlsEnviron tls = HttpTlsEnviron.of(ssl.engine().getSession(), clientAuth);
        codecs.install(ctx, ApplicationProtocolNames.HTTP_2.equals(protocol), tls);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // a scanner, a client that does not trust the certificate, a plain-HTTP request on the TLS port: routine
        ctx.close();
    }
}
