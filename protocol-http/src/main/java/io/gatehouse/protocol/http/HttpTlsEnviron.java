package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * The TLS facts of one connection as mod_ssl puts them in the environ (its StdEnvVars and ExportCertData), computed
 * once when the handshake is done: {@code HTTPS=on}, {@code SSL_PROTOCOL} ({@code TLSv1.3}), {@code SSL_CIPHER} (the
 * OpenSSL name), {@code SSL_SESSION_ID} (hex; random
 * under TLS 1.3, which has none on the wire), {@code SSL_TLS_SNI}, and for client certificates
 * {@code SSL_CLIENT_VERIFY} ({@code SUCCESS} or {@code NONE}), {@code SSL_CLIENT_S_DN} and {@code SSL_CLIENT_I_DN}
 * (RFC 2253, mod_ssl's default since 2.3.11), {@code SSL_CLIENT_M_SERIAL} (hex), {@code SSL_CLIENT_CERT} (PEM).
 */
final class HttpTlsEnviron {
    /** OpenSSL's short names of attributes the JDK would print as OIDs in RFC 2253 form. */
    private static final Map<String, String> OID_NAMES = Map.of("1.2.840.113549.1.9.1", "emailAddress",
            "2.5.4.5", "serialNumber", "2.5.4.42", "GN", "2.5.4.4", "SN", "2.5.4.12", "title");

    /** OpenSSL's ASN1_TIME_print form, as mod_ssl gives validity dates: {@code Jan  2 03:04:05 2027 GMT}. */
    private static final java.time.format.DateTimeFormatter ASN1_TIME = java.time.format.DateTimeFormatter
            .ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final List<String> keysAndValues;
    private final String sni;

    private HttpTlsEnviron(List<String> keysAndValues, String sni) {
        this.keysAndValues = keysAndValues;
        this.sni = sni;
    }

    /** The variables of a connection whose handshake produced {@code session}. */
    static HttpTlsEnviron of(SSLSession session, boolean clientAuth) {
        List<String> kv = new ArrayList<>(20);
        add(kv, EnvironKeys.HTTPS, "on");
        add(kv, "SSL_PROTOCOL", session.getProtocol());
        String suite = session.getCipherSuite();
        // OpenSSL's names, as mod_ssl gives them (BoringSSL's differ for TLS 1.3: AEAD-AES128-GCM-SHA256)
        String openssl = CipherSuiteConverter.toOpenSsl(suite, false);
        add(kv, "SSL_CIPHER", openssl != null ? openssl : suite);
        byte[] id = session.getId();
        if (id == null || id.length == 0) {
            // TLS 1.3 has no session id on the wire; like OpenSSL (so mod_ssl), give the session a random one
            id = new byte[32];
            RANDOM.nextBytes(id);
        }
        add(kv, "SSL_SESSION_ID", HexFormat.of().withUpperCase().formatHex(id));
        String sni = sni(session);
        if (sni != null) {
            add(kv, "SSL_TLS_SNI", sni);
        }
        if (clientAuth) {
            addClient(kv, session);
        }
        return new HttpTlsEnviron(List.copyOf(kv), sni);
    }

    private static void addClient(List<String> kv, SSLSession session) {
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            add(kv, "SSL_CLIENT_VERIFY", "NONE");
            return;
        }
        if (peer.length == 0 || !(peer[0] instanceof X509Certificate client)) {
            add(kv, "SSL_CLIENT_VERIFY", "NONE");
            return;
        }
        // a certificate the CA list does not vouch for fails the handshake, so one that is here was verified
        add(kv, "SSL_CLIENT_VERIFY", "SUCCESS");
        add(kv, "SSL_CLIENT_S_DN", dn(client.getSubjectX500Principal()));
        add(kv, "SSL_CLIENT_I_DN", dn(client.getIssuerX500Principal()));
        String serial = client.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        add(kv, "SSL_CLIENT_M_SERIAL", serial.length() % 2 == 1 ? "0" + serial : serial);
        add(kv, "SSL_CLIENT_M_VERSION", Integer.toString(client.getVersion()));
        add(kv, "SSL_CLIENT_V_START", ASN1_TIME.format(client.getNotBefore().toInstant()));
        add(kv, "SSL_CLIENT_V_END", ASN1_TIME.format(client.getNotAfter().toInstant()));
        try {
            add(kv, "SSL_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(client.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        } catch (CertificateEncodingException e) {
            // a certificate that passed the handshake encodes; leave the variable out if it somehow does not
        }
    }

    private static String dn(X500Principal principal) {
        return principal.getName(X500Principal.RFC2253, OID_NAMES);
    }

    private static String sni(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            try {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) {
                        return host.getAsciiName();
                    }
                }
            } catch (UnsupportedOperationException noSni) {
                return null;
            }
        }
        return null;
    }

    private static void add(List<String> kv, String key, String value) {
        kv.add(key);
        kv.add(value);
    }

    /** The host name the client asked for by SNI, or null. */
    String sni() {
        return sni;
    }

    /** Appends the variables to a request's environ. */
    void fill(Environ env) {
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            env.append(keysAndValues.get(i), keysAndValues.get(i + 1));
        }
    }
}
