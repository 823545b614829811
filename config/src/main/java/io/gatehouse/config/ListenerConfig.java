package io.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One listening socket and the protocol spoken on it.
 *
 * @param origin where the listener's mapping starts, for later messages about it
 * @param name optional name, unique among listeners, used in logs and metrics
 * @param protocol the protocol's registered name, such as {@code uwsgi} or {@code http}
 * @param backlog the listen queue length
 * @param mode octal permissions of a unix socket
 * @param owner {@code user} or {@code user:group} owning a unix socket
 * @param trustedProxies the peers whose X-Forwarded-* and Forwarded headers are applied; empty for none
 * @param maxForwardedHops the most hops a forwarding header may list before it is ignored
 * @param proxyProtocol whether every connection starts with a PROXY protocol header (v1 or v2)
 * @param maxConnections connections the listener holds at once; at the limit it stops accepting, and new ones wait
 *                       in the listen queue
 * @param headerTimeout time for a request head (or vars block) to arrive, from its first byte or the connection's
 *                      opening; 0 for none
 * @param keepaliveTimeout time a connection may idle between requests; null for the protocol's default, 0 for none
 * @param bodyTimeout longest wait for the next bytes of a request body the listener is reading; 0 for none
 * @param sendTimeout longest a response may wait for the client to take any of its bytes; 0 for none
 * @param lingeringTime longest a connection closing with a request body unread keeps reading and dropping it
 * @param lingeringTimeout longest wait for the next bytes of such a body
 * @param directAccept whether the workers of an app this listener alone leads to may accept its connections
 *                     themselves (the direct path), where the protocol and runtime can
 * @param options the protocol's own keys, bound later against the protocol's options record
 */
public record ListenerConfig(
        @Origin Location origin,
        String name,
        @Required String protocol,
        @Required BindAddress bind,
        @Default("1024") @Min(1) int backlog,
        String mode,
        String owner,
        List<TrustedProxy> trustedProxies,
        @Default("20") @Min(1) @Max(1000) int maxForwardedHops,
        @Default("false") boolean proxyProtocol,
        @Default(DEFAULT_MAX_CONNECTIONS) @Min(1) @Max(1_000_000) int maxConnections,
        @Default(DEFAULT_HEADER_TIMEOUT) Duration headerTimeout,
        Duration keepaliveTimeout,
        @Default(DEFAULT_BODY_TIMEOUT) Duration bodyTimeout,
        @Default(DEFAULT_SEND_TIMEOUT) Duration sendTimeout,
        @Default(DEFAULT_LINGERING_TIME) Duration lingeringTime,
        @Default(DEFAULT_LINGERING_TIMEOUT) Duration lingeringTimeout,
        @Default("true") boolean directAccept,
        @Rest OptionKeys options) {

    /** Per listener; far above one front server's pool, and within the usual 65536 open files for a few listeners. */
    public static final String DEFAULT_MAX_CONNECTIONS = "16384";
    public static final String DEFAULT_HEADER_TIMEOUT = "20s";
    /** nginx's client_body_timeout. */
    public static final String DEFAULT_BODY_TIMEOUT = "60s";
    /** nginx's send_timeout. */
    public static final String DEFAULT_SEND_TIMEOUT = "60s";
    /** nginx's lingering_time. */
    public static final String DEFAULT_LINGERING_TIME = "30s";
    /** nginx's lingering_timeout. */
    public static final String DEFAULT_LINGERING_TIMEOUT = "5s";

    private static final Pattern OWNER = Pattern.compile("[^:\\s]+(:[^:\\s]+)?");

    public ListenerConfig {
        // The binder passes a null item for an entry it already reported, so copy without List.copyOf.
        trustedProxies = trustedProxies == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(trustedProxies));
        FileMode.check("mode", mode);
        if (owner != null && !OWNER.matcher(owner).matches()) {
            throw new ConfigValueException("owner", "expected user or user:group, got '" + owner + "'");
        }
        // Permissions and ownership exist only for socket files; on a TCP port they would silently do nothing.
        if (bind instanceof BindAddress.Inet) {
            if (mode != null) {
                throw new ConfigValueException("mode", "applies only to unix sockets, not to " + bind);
            }
            if (owner != null) {
                throw new ConfigValueException("owner", "applies only to unix sockets, not to " + bind);
            }
        }
    }

    /** The name if one is set, otherwise {@code protocol@bind}, e.g. {@code uwsgi@unix:/run/app.sock}. */
    public String displayName() {
        return name != null ? name : protocol + "@" + bind;
    }
}
