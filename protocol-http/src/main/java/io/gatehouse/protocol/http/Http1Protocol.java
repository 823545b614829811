package io.gatehouse.protocol.http;

import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.spi.protocol.ChannelSetup;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * HTTP/1.1 (RFC 9112) for browsers, load balancers and proxies, and with a {@code tls:} block HTTPS with HTTP/2 by
 * ALPN (RFC 9113), or cleartext HTTP/2 with prior knowledge ({@code http2.h2c}): {@code protocol: http}.
 */
public final class Http1Protocol implements Protocol<Http1Options> {
    private static final Logger LOG = Logger.getLogger(Http1Protocol.class.getName());

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Class<Http1Options> optionsType() {
        return Http1Options.class;
    }

    /** A load balancer (haproxy {@code send-proxy}) may name the client in a PROXY protocol header first. */
    @Override
    public boolean acceptsProxyProtocol() {
        return true;
    }

    /** Reads every certificate and key the tls block names, so that check and a reload report them by file and line. */
    @Override
    public void validate(Http1Options options, ListenerConfig listener, ConfigScope where) {
        HttpTlsOptions tls = options.tls();
        if (tls == null) {
            return;
        }
        ConfigScope scope = where.key("tls");
        boolean ok = true;
        List<HttpTlsCertificate> all = tls.all();
        int offset = tls.certificate() != null ? 1 : 0;
        for (int i = 0; i < all.size(); i++) {
            ConfigScope at = i < offset ? scope : scope.key("certificates").item(i - offset);
            ok &= checkPair(all.get(i), listener, at);
        }
        if (tls.ca() != null) {
            try {
                HttpTlsKeys.certificates(HttpTlsContexts.resolve(listener, tls.ca()));
            } catch (IOException e) {
                scope.key("ca").error(e.getMessage());
                ok = false;
            }
        }
        try {
            HttpTlsContexts.javaCiphers(tls.ciphers(), HttpTlsContexts.provider());
        } catch (IOException e) {
            scope.key("ciphers").error(e.getMessage());
            ok = false;
        }
        if (ok) {
            try {
                HttpTlsContexts.build(tls, listener, options.http2().enabled());
            } catch (IOException e) {
                scope.error(e.getMessage());
            }
        }
    }

    private static boolean checkPair(HttpTlsCertificate pair, ListenerConfig listener, ConfigScope at) {
        Path certificate = HttpTlsContexts.resolve(listener, pair.certificate());
        try {
            HttpTlsKeys.certificates(certificate);
        } catch (IOException e) {
            at.key("certificate").error(e.getMessage());
            return false;
        }
        try {
            HttpTlsKeys.load(certificate, HttpTlsContexts.resolve(listener, pair.key()));
            return true;
        } catch (IOException e) {
            at.key("key").error(e.getMessage());
            return false;
        }
    }

    /**
     * Cleartext HTTP/1.1 as it is; with h2c a look at the first bytes decides between HTTP/2 and HTTP/1.1; with TLS,
     * the certificates are read now (and at every reload) and each connection gets a TLS engine, then the codec
     * ALPN chose.
     */
    @Override
    public ChannelSetup setup(Http1Options options, ListenerConfig listener) throws IOException {
        HttpCodecs codecs = new HttpCodecs(listener.displayName(), options);
        HttpTlsOptions tls = options.tls();
        if (tls != null) {
            HttpTlsContexts contexts = HttpTlsContexts.build(tls, listener, options.http2().enabled());
            LOG.info("listener " + listener.displayName() + ": " + contexts.description());
            boolean clientAuth = tls.clientAuth() != HttpTlsOptions.ClientAuth.NONE;
            return pipeline -> {
                pipeline.addLast("tls", contexts.newHandler(pipeline.channel().alloc()));
                pipeline.addLast("alpn", new HttpAlpnHandler(codecs, clientAuth));
            };
        }
        if (options.http2().h2c()) {
            return pipeline -> pipeline.addLast("h2c-detector", new Http2PrefaceDetector(codecs));
        }
        return pipeline -> initChannel(pipeline, options);
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, Http1Options options) {
        pipeline.addLast("http-decoder", new Http1Decoder(options));
        pipeline.addLast("http-encoder", new Http1Encoder());
        Http1WebSocketUpgrade.addTo(pipeline, options);
    }

    @Override
    public int bodyBuffer(Http1Options options) {
        return (int) options.bodyBuffer().bytes();
    }
}
