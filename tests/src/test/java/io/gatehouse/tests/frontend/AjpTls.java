package io.gatehouse.tests.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Files for a test where Apache terminates TLS before an AJP listener: the front's server certificate
 * ({@link FrontTls}), a client key pair (keytool) so that Apache has a client certificate to forward, an htpasswd
 * file for basic auth, and the client's SSL context, which trusts exactly that server certificate.
 */
public final class AjpTls {
    /** The user in the htpasswd file, and its password. */
    public static final String USER = "alice";
    public static final String PASSWORD = "wonderland";
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    final FrontTls server;
    final Path htpasswd;
    private final Path clientStore;

    private AjpTls(Path dir) {
        server = FrontTls.in(dir);
        htpasswd = dir.resolve("htpasswd");
        clientStore = dir.resolve("client.p12");
    }

    /** The files in {@code dir}, as {@link #create} made them. */
    public static AjpTls in(Path dir) {
        return new AjpTls(dir);
    }

    /** Makes the files in {@code dir} with the tools a Debian host has (openssl, keytool, htpasswd). */
    static AjpTls create(Path dir) {
        FrontTls.create(dir);
        AjpTls tls = new AjpTls(dir);
        FrontTls.run(dir, "keytool", "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=gatehouse-test-client", "-storetype", "PKCS12", "-keystore",
                tls.clientStore.toString(), "-storepass", new String(STORE_PASSWORD));
        FrontTls.run(dir, "htpasswd", "-cbB", tls.htpasswd.toString(), USER, PASSWORD);
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
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), server.trustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test's TLS client context", e);
        }
    }
}
