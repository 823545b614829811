package io.gatehouse.tests.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of a front server in the tests: a self-signed certificate for 127.0.0.1 made with openssl (an EC key:
 * made at once, where an RSA key would cost every row a noticeable pause), and a client context that trusts exactly
 * that certificate.
 */
public final class FrontTls {
    final Path cert;
    final Path key;

    private FrontTls(Path dir) {
        cert = dir.resolve("server.crt");
        key = dir.resolve("server.key");
    }

    /** The certificate in {@code dir}, as {@link #create} made it. */
    public static FrontTls in(Path dir) {
        return new FrontTls(dir);
    }

    /** Makes the certificate and its key in {@code dir} (created if need be) unless they are there already. */
    static FrontTls create(Path dir) {
        FrontTls tls = new FrontTls(dir);
        if (Files.exists(tls.cert) && Files.exists(tls.key)) {
            return tls;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                tls.key.toString(), "-out", tls.cert.toString());
        return tls;
    }

    /** A client context trusting only this certificate. */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test's TLS client context", e);
        }
    }

    /** Trust managers that accept this certificate and nothing else. */
    TrustManager[] trustManagers() throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(cert)) {
            trust.load(null, null);
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("server", certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    /** Runs a tool of the host in {@code dir}, failing with its output unless it succeeds within 60 s. */
    static void run(Path dir, String... command) {
        Path out = dir.resolve(command[0] + ".out");
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with status " + p.exitValue() + ":\n"
                        + Files.readString(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0]);
        }
    }
}
