package io.gatehouse.tests.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Files for a test where Apache terminates TLS: a self-signed server certificate for 127.0.0.1 (openssl), a client
 * key pair (keytool) so that Apache has a client certificate to forward, an htpasswd file for basic auth, and the
 * client's SSL context, which trusts exactly that server certificate.
 */
public final class AjpTls {
    /** The user in the htpasswd file, and its password. */
    public static final String USER = "alice";
    public static final String PASSWORD = "wonderland";
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    final Path serverCert;
    final Path serverKey;
    final Path htpasswd;
    private final Path clientStore;

    private AjpTls(Path dir) {
        serverCert = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        htpasswd = dir.resolve("htpasswd");
        clientStore = dir.resolve("client.p12");
    }

    /** The files in {@code dir}, as {@link #create} made them. */
    public static AjpTls in(Path dir) {
        return new AjpTls(dir);
    }

    /** Makes the files in {@code dir} with the tools a Debian host has (openssl, keytool, htpasswd). */
    static AjpTls create(Path dir) {
        AjpTls tls = new AjpTls(dir);
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", tls.serverKey.toString(), "-out",
                tls.serverCert.toString());
        run(dir, "keytool", "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=gatehouse-test-client", "-storetype", "PKCS12", "-keystore", tls.clientStore.toString(),
                "-storepass", new String(STORE_PASSWORD));
        run(dir, "htpasswd", "-cbB", tls.htpasswd.toString(), USER, PASSWORD);
        return tls;
    }

    /** A client context presenting the client certificate and trusting only the server's. */
    public SSLContext clientContext() {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientStore)) {
                keys.load(in, STORE_PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, STORE_PASSWORD);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(serverCert)) {
                Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
                trust.setCertificateEntry("server", cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test's TLS client context", e);
        }
    }

    private static void run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(command[0] + ".out").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with status " + p.exitValue() + ":\n"
                        + Files.readString(dir.resolve(command[0] + ".out")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0]);
        }
    }
}
