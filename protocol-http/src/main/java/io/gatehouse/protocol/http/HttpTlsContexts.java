package io.gatehouse.protocol.http;

import io.gatehouse.config.ListenerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts of one listener, built from its {@code tls:} block once per setup (at start and at every
 * reload): one per certificate, chosen by SNI when there are several. OpenSSL (BoringSSL, from
 * netty-tcnative-boringssl-static) when it loads, the JDK's engine otherwise. Each new connection gets a handler
 * of its own from here; open connections keep the context they started with.
 */
final class HttpTlsContexts {
    private final SslContext fallback;
    private final Mapping<String, SslContext> bySni;
    private final String description;

    private HttpTlsContexts(SslContext fallback, Mapping<String, SslContext> bySni, String description) {
        this.fallback = fallback;
        this.bySni = bySni;
        this.description = description;
    }

    /** Reads every certificate and key, and builds the contexts; an IOException says which file is wrong. */
    static HttpTlsContexts build(HttpTlsOptions tls, ListenerConfig listener, boolean h2) throws IOException {
        SslProvider provider = provider();
        List<String> ciphers = javaCiphers(tls.ciphers(), provider);
        List<HttpTlsCertificate> all = tls.all();
        List<SslContext> contexts = new ArrayList<>(all.size());
        List<String> described = new ArrayList<>(all.size());
        DomainWildcardMappingBuilder<SslContext> sni = null;
        for (int i = 0; i < all.size(); i++) {
            HttpTlsCertificate c = all.get(i);
            HttpTlsKeys.Pair pair = HttpTlsKeys.load(resolve(listener, c.certificate()), resolve(listener, c.key()));
            SslContext context = context(pair, tls, listener, provider, ciphers, h2);
            contexts.add(context);
            Set<String> hosts = c.hosts().isEmpty() ? namesOf(pair.leaf()) : new LinkedHashSet<>(c.hosts());
            if (i == 0) {
                sni = new DomainWildcardMappingBuilder<>(all.size() + 8, context);
            }
            for (String host : hosts) {
                try {
                    sni.add(host, context);
                } catch (IllegalArgumentException notAHostName) {
                    // a CN such as "My Server" names no host: the certificate is still the default or found by others
                }
            }
            described.add(pair.leaf().getSubjectX500Principal().getName() + " for " + String.join(" ", hosts)
                    + " until " + pair.leaf().getNotAfter().toInstant());
        }
        String engine = provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")"
                : "the JDK's engine (OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")";
        return new HttpTlsContexts(contexts.get(0), all.size() > 1 ? sni.build() : null, "TLS by " + engine + ", "
                + String.join(", ", tls.protocols()) + (h2 ? ", ALPN h2 and http/1.1" : ", ALPN http/1.1")
                + "; certificates: " + String.join("; ", described));
    }

    /** A handler for a new connection: the TLS engine, or an SNI handler that puts in the engine of the name asked. */
    ChannelHandler newHandler(ByteBufAllocator alloc) {
        return bySni != null ? new SniHandler(bySni) : fallback.newHandler(alloc);
    }

    /** For the log: the engine, the versions, the certificates and their names. */
    String description() {
        return description;
    }

    /** OpenSSL where netty-tcnative loads on this machine, else the JDK. */
    static SslProvider provider() {
        return OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? SslProvider.OPENSSL
                : SslProvider.JDK;
    }

    private static SslContext context(HttpTlsKeys.Pair pair, HttpTlsOptions tls, ListenerConfig listener,
            SslProvider provider, List<String> ciphers, boolean h2) throws IOException {
        SslContextBuilder b = SslContextBuilder.forServer(pair.key(), pair.chain())
                .sslProvider(provider)
                .protocols(tls.protocols())
                .ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        h2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                                : List.of(ApplicationProtocolNames.HTTP_1_1)));
        if (tls.clientAuth() != HttpTlsOptions.ClientAuth.NONE) {
            b.clientAuth(tls.clientAuth() == HttpTlsOptions.ClientAuth.REQUIRE ? ClientAuth.REQUIRE
                    : ClientAuth.OPTIONAL);
            b.trustManager(HttpTlsKeys.certificates(resolve(listener, tls.ca())));
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The suites in Java's (IANA) names, which the builder takes; OpenSSL names such as
     * {@code ECDHE-RSA-AES128-GCM-SHA256} are converted. A name neither knows, or one this engine lacks, is an
     * error rather than silently dropped.
     */
    static List<String> javaCiphers(List<String> names, SslProvider provider) throws IOException {
        Set<String> supported = provider == SslProvider.OPENSSL ? OpenSsl.availableJavaCipherSuites() : jdkSuites();
        List<String> out = new ArrayList<>(names.size());
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            String java = name.startsWith("TLS_") || name.startsWith("SSL_") ? name
                    : CipherSuiteConverter.toJava(name, "TLS");
            if (java == null || !supported.contains(java)) {
                unknown.add(name);
            } else {
                out.add(java);
            }
        }
        if (!unknown.isEmpty() && !names.equals(HttpTlsOptions.DEFAULT_CIPHERS)) {
            throw new IOException("unknown cipher suite(s) " + String.join(", ", unknown) + " for "
                    + (provider == SslProvider.OPENSSL ? "OpenSSL" : "the JDK"));
        }
        return out;
    }

    private static Set<String> jdkSuites() throws IOException {
        try {
            return new LinkedHashSet<>(Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters()
                    .getCipherSuites()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("the JDK has no TLS: " + e.getMessage(), e);
        }
    }

    /** The DNS names a certificate is for: its subjectAltName dNSName entries, else its CN. */
    static Set<String> namesOf(X509Certificate certificate) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> alt = certificate.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (Integer.valueOf(2).equals(entry.get(0))) {
                        names.add((String) entry.get(1));
                    }
                }
            }
            if (names.isEmpty()) {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            }
        } catch (CertificateParsingException | javax.naming.InvalidNameException e) {
            throw new IOException("cannot read the names of " + certificate.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
        return names;
    }

    /** {@code path} relative to the directory of the file that declares the listener. */
    static Path resolve(ListenerConfig listener, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path file = listener.origin() == null ? null : listener.origin().file();
        Path dir = file == null ? null : file.toAbsolutePath().getParent();
        return dir == null ? p.toAbsolutePath() : dir.resolve(p).normalize();
    }
}
