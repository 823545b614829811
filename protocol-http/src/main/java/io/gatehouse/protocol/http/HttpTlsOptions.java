package io.gatehouse.protocol.http;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.Default;
import java.util.List;
import java.util.Set;

/**
 * The {@code tls:} block of an http listener (docs/protocols/http.md): the certificate and key (PEM, the chain after
 * the certificate), more certificates chosen by SNI, the protocol versions and cipher suites offered, and client
 * certificates. Paths are relative to the file that declares the listener.
 *
 * @param certificate  PEM file: the server certificate, then its chain
 * @param key          PEM file: the certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC, not encrypted)
 * @param certificates more certificates, each for the host names it lists (or names itself); the first one is the
 *                     default when {@code certificate} is not set
 * @param protocols    TLS versions offered ({@code TLSv1.2}, {@code TLSv1.3}); empty means both
 * @param ciphers      cipher suites offered, in OpenSSL or IANA names; empty means {@link #DEFAULT_CIPHERS}
 * @param clientAuth   whether clients present a certificate: {@code none}, {@code optional}, {@code require}
 * @param ca           PEM file of the CAs whose client certificates are accepted (with client-auth)
 */
public record HttpTlsOptions(
        String certificate,
        String key,
        List<HttpTlsCertificate> certificates,
        List<String> protocols,
        List<String> ciphers,
        @Default("none") ClientAuth clientAuth,
        String ca) {

    /** How a client certificate is asked for. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    /** The versions offered by default. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final Set<String> KNOWN_PROTOCOLS = Set.copyOf(DEFAULT_PROTOCOLS);

    /**
     * The suites offered by default: TLS 1.3's, then TLS 1.2's forward-secret AEAD suites (Mozilla's "intermediate"
     * list without the DHE ones); all of them are allowed by HTTP/2 (RFC 9113 9.2.2).
     */
    public static final List<String> DEFAULT_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public HttpTlsOptions {
        certificates = certificates == null ? List.of() : certificates;
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : protocols;
        ciphers = ciphers == null || ciphers.isEmpty() ? DEFAULT_CIPHERS : ciphers;
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if ((certificate == null) != (key == null)) {
            throw new ConfigValueException(certificate == null ? "certificate" : "key", "certificate and key go "
                    + "together: set both");
        }
        if (certificate == null && certificates.isEmpty()) {
            throw new ConfigValueException("certificate", "a tls block needs a certificate and key (or certificates)");
        }
        for (String p : protocols) {
            if (!KNOWN_PROTOCOLS.contains(p)) {
                throw new ConfigValueException("protocols", "unknown or unsafe protocol '" + p + "' (expected: "
                        + String.join(", ", DEFAULT_PROTOCOLS) + ")");
            }
        }
        if (clientAuth != ClientAuth.NONE && ca == null) {
            throw new ConfigValueException("ca", "client-auth " + clientAuth.name().toLowerCase() + " needs ca: the "
                    + "PEM file of the CAs that issue client certificates");
        }
        if (clientAuth == ClientAuth.NONE && ca != null) {
            throw new ConfigValueException("ca", "applies only with client-auth optional or require");
        }
    }

    /** Every certificate: {@code certificate}/{@code key} first (the default), then {@code certificates}. */
    List<HttpTlsCertificate> all() {
        if (certificate == null) {
            return certificates;
        }
        List<HttpTlsCertificate> all = new java.util.ArrayList<>(certificates.size() + 1);
        all.add(new HttpTlsCertificate(certificate, key, List.of()));
        all.addAll(certificates);
        return all;
    }
}
