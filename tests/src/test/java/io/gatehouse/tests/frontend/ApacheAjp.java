package io.gatehouse.tests.frontend;

import io.gatehouse.tests.support.Apache;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache httpd before Gatehouse's AJP listeners, as the AJP rows run it: plain HTTP on one port and TLS
 * (self-signed, client certificate optional) on {@code {tls}}, basic auth on /app/private, and in both servers the
 * routes of the AJP module: everything to the main listener with the secret, /wrong with a wrong secret, /small to
 * the limited listener (a 1 KiB body limit), and the request attributes TENANT=acme and OTHER=x.
 */
final class ApacheAjp {
    /** mod_jk's workers: gh (the main listener, pooled, with CPING), wrong (a wrong secret), small (limited). */
    static final String JK_WORKERS = """
            worker.list=gh,wrong,small
            worker.maintain=1
            worker.gh.type=ajp13
            worker.gh.host=127.0.0.1
            worker.gh.port={port}
            worker.gh.secret={secret}
            worker.gh.ping_mode=A
            worker.gh.ping_timeout=10000
            worker.gh.connection_ping_interval=1
            worker.gh.max_packet_size=65536
            worker.wrong.type=ajp13
            worker.wrong.host=127.0.0.1
            worker.wrong.port={port}
            worker.wrong.secret=not-the-secret
            worker.wrong.max_packet_size=65536
            worker.small.type=ajp13
            worker.small.host=127.0.0.1
            worker.small.port={limited}
            worker.small.secret={secret}
            worker.small.max_packet_size=65536
            """;

    private ApacheAjp() {
    }

    /**
     * The main AJP listener (admitting the attribute TENANT, with {@code options} added) and the limited one, both
     * with the secret and packets of {@code packetSize} bytes.
     */
    static String listeners(int packetSize, String options) {
        return """
                - {name: ajp, protocol: ajp, bind: "127.0.0.1:{port}", secret: {secret}, packet-size: %1$d,
                   allowed-attributes: TENANT%2$s}
                - {name: small, protocol: ajp, bind: "127.0.0.1:{limited}", secret: {secret}, packet-size: %1$d,
                   max-body-size: 1KiB}
                """.formatted(packetSize, options.isEmpty() ? "" : ", " + options);
    }

    /** Starts Apache with {@code modules}, {@code global} directives, and {@code routes} in both of its servers. */
    static Apache start(FrontSite site, List<String> modules, String global, String routes) {
        AjpTls tls = AjpTls.create(site.tlsDir());
        List<String> all = new ArrayList<>(List.of("ssl", "auth_basic", "authn_core", "authn_file", "authz_user"));
        all.addAll(modules);
        return Apache.start(site.frontDir(), all, site.fill(global + routes + """
                <Location /app/private>
                  AuthType Basic
                  AuthName "gatehouse test"
                  AuthBasicProvider file
                  AuthUserFile %s
                  Require valid-user
                </Location>
                Listen 127.0.0.1:{tls}
                <VirtualHost 127.0.0.1:{tls}>
                  SSLEngine on
                  SSLCertificateFile %s
                  SSLCertificateKeyFile %s
                  SSLVerifyClient optional_no_ca
                  SSLOptions +StdEnvVars +ExportCertData
                %s
                </VirtualHost>
                """.formatted(tls.htpasswd, tls.server.cert, tls.server.key, routes.indent(2))));
    }
}
