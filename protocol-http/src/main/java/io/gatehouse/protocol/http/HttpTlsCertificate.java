package io.gatehouse.protocol.http;

import io.gatehouse.config.Required;
import java.util.List;

/**
 * One certificate of a TLS listener with its key, and the host names it serves by SNI ({@code www.example.org},
 * {@code *.example.org}); without {@code hosts}, the DNS names the certificate itself lists (or its CN).
 *
 * @param certificate PEM file: the certificate, then its chain
 * @param key         PEM file: its private key
 * @param hosts       SNI names it is chosen for
 */
public record HttpTlsCertificate(@Required String certificate, @Required String key, List<String> hosts) {

    public HttpTlsCertificate {
        hosts = hosts == null ? List.of() : hosts;
    }
}
