package io.gatehouse.tests.frontend;

import io.gatehouse.tests.support.Apache;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.Haproxy;
import io.gatehouse.tests.support.Lighttpd;
import io.gatehouse.tests.support.Nginx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one row of {@link FrontServerCase} runs: its directory, the ports of Gatehouse's main and limited
 * listeners, and the front server's TLS port. The front servers started here serve the same routes over plain HTTP
 * and, on {@code {tls}}, over TLS with a self-signed certificate ({@link FrontTls}) in {@link #tlsDir()}.
 */
public record FrontSite(Path dir, int port, int limitedPort, int tlsPort) {
    /** A site in {@code dir} with ports of its own. */
    public static FrontSite in(Path dir) {
        return new FrontSite(dir, FreePort.pick(), FreePort.pick(), FreePort.pick());
    }

    /** The unix socket of a row that listens on one. */
    public Path socket() {
        return dir.resolve("gateway.sock");
    }

    /** The front server's directory (its config, logs and the files it was given). */
    public Path frontDir() {
        return dir.resolve("front");
    }

    /** Where the front server's certificate is ({@link FrontTls#in}). */
    public Path tlsDir() {
        return dir.resolve("tls");
    }

    /** The base URL of the front server's TLS listener, {@code https://127.0.0.1:TLSPORT}. */
    public String tlsUrl() {
        return "https://127.0.0.1:" + tlsPort;
    }

    /** {@code fragment} with the places of {@link FrontServerCase}'s fragments filled in. */
    String fill(String fragment) {
        return fragment.replace("{port}", Integer.toString(port)).replace("{limited}", Integer.toString(limitedPort))
                .replace("{tls}", Integer.toString(tlsPort)).replace("{socket}", socket().toString())
                .replace("{secret}", FrontServerCase.AJP_SECRET).replace("{dir}", frontDir().toString());
    }

    /**
     * haproxy with {@code sections} (frontends and backends; {@code {front}} is its own port, {@code {pem}} the
     * certificate and key in one file, as haproxy's {@code crt} takes them).
     */
    Haproxy haproxy(String sections) {
        FrontTls tls = FrontTls.create(tlsDir());
        Path pem = tlsDir().resolve("haproxy.pem");
        try {
            Files.writeString(pem, Files.readString(tls.cert) + Files.readString(tls.key), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Haproxy.start(frontDir(), fill(sections).replace("{pem}", pem.toString()).replace("{front}", "{port}"));
    }

    /** nginx with {@code serverBody} in its server block, which also listens on {@code {tls}} with TLS. */
    Nginx nginx(String serverBody) {
        return nginx("", serverBody);
    }

    /** As {@link #nginx(String)}, with {@code httpBody} at the http level (upstreams). */
    Nginx nginx(String httpBody, String serverBody) {
        FrontTls tls = FrontTls.create(tlsDir());
        return Nginx.start(frontDir(), fill(httpBody), fill("""
                listen 127.0.0.1:{tls} ssl;
                ssl_certificate %s;
                ssl_certificate_key %s;
                """.formatted(tls.cert, tls.key) + serverBody));
    }

    /**
     * Apache httpd with {@code modules} and {@code body} in its main server, and a TLS virtual host on
     * {@code {tls}}, which inherits the main server's ProxyPass routes (ProxyPassInherit is on by default).
     */
    Apache apache(List<String> modules, String body) {
        FrontTls tls = FrontTls.create(tlsDir());
        List<String> all = new ArrayList<>(modules);
        all.add("ssl");
        return Apache.start(frontDir(), all, fill(body + """
                Listen 127.0.0.1:{tls}
                <VirtualHost 127.0.0.1:{tls}>
                  SSLEngine on
                  SSLCertificateFile %s
                  SSLCertificateKeyFile %s
                </VirtualHost>
                """.formatted(tls.cert, tls.key)));
    }

    /** lighttpd with {@code modules} and {@code body}, also serving on {@code {tls}} with TLS (mod_openssl). */
    Lighttpd lighttpd(List<String> modules, String body) {
        FrontTls tls = FrontTls.create(tlsDir());
        List<String> all = new ArrayList<>(modules);
        all.add("mod_openssl");
        return Lighttpd.start(frontDir(), all, fill(body + """
                $SERVER["socket"] == "127.0.0.1:{tls}" {
                    ssl.engine = "enable"
                    ssl.pemfile = "%s"
                    ssl.privkey = "%s"
                }
                """.formatted(tls.cert, tls.key)));
    }
}
