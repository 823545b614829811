package io.gatehouse.core.proxy;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.config.IpLiteral;
import io.gatehouse.config.TrustedProxy;
import io.gatehouse.core.proxy.ForwardedChain.Hop;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * A listener's {@code trusted-proxies} at work, the one place where forwarding headers change the environ, for
 * every protocol. Only when REMOTE_ADDR, as the listener produced it, is a trusted proxy do X-Forwarded-For,
 * X-Forwarded-Proto and X-Forwarded-Host, or else RFC 7239 Forwarded, set REMOTE_ADDR (and REMOTE_PORT),
 * wsgi.url_scheme (and HTTPS) and HTTP_HOST (and SERVER_NAME, SERVER_PORT). The client is the right-most untrusted
 * address of the chain, as nginx's realip module finds it with {@code real_ip_recursive on}: the walk goes from
 * the right past trusted addresses, and stops at the first untrusted one, or at a node that is no address
 * ({@code unknown}, {@code _hidden}, garbage), believing nothing left of it. The headers stay in the environ as
 * they came, and each value replaced is kept under {@link #ORIGINAL} + its key.
 */
public final class ForwardedHeaders {
    /** For listeners without trusted proxies: applies nothing. */
    public static final ForwardedHeaders NONE = new ForwardedHeaders("", new TrustedProxy[0], false, 1);
    /** Prefix of the keys that keep what forwarding replaced, e.g. {@code gatehouse.orig.REMOTE_ADDR}. */
    public static final String ORIGINAL = "gatehouse.orig.";
    /** Bytes a forwarding header may have per allowed hop; a longer one is ignored without being read. */
    public static final int BYTES_PER_HOP = 256;

    private static final Logger LOG = Logger.getLogger(ForwardedHeaders.class.getName());
    private static final String X_FORWARDED_FOR = "HTTP_X_FORWARDED_FOR";
    private static final String X_FORWARDED_PROTO = "HTTP_X_FORWARDED_PROTO";
    private static final String X_FORWARDED_HOST = "HTTP_X_FORWARDED_HOST";
    private static final String FORWARDED = "HTTP_FORWARDED";
    private static final String REQUEST_SCHEME = "REQUEST_SCHEME";
    private static final int MAX_HOST = 255;

    private final String listener;
    private final TrustedProxy[] blocks;
    private final boolean unix;
    private final int maxHops;

    private ForwardedHeaders(String listener, TrustedProxy[] blocks, boolean unix, int maxHops) {
        this.listener = listener;
        this.blocks = blocks;
        this.unix = unix;
        this.maxHops = maxHops;
    }

    /** The forwarding of listener {@code listener}; {@link #NONE} when {@code trusted} is empty. */
    public static ForwardedHeaders of(String listener, List<TrustedProxy> trusted, int maxHops) {
        List<TrustedProxy> known = trusted.stream().filter(Objects::nonNull).toList();
        if (known.isEmpty()) {
            return NONE;
        }
        return new ForwardedHeaders(listener, known.stream().filter(p -> !p.isUnix()).toArray(TrustedProxy[]::new),
                known.stream().anyMatch(TrustedProxy::isUnix), maxHops);
    }

    /** False for {@link #NONE}: the exchange skips the step, so a listener without trusted proxies pays nothing. */
    public boolean enabled() {
        return this != NONE;
    }

    /** Applies the forwarding headers of {@code env} if its REMOTE_ADDR is a trusted proxy; else leaves it be. */
    public void apply(Environ env) {
        String peer = env.get(EnvironKeys.REMOTE_ADDR);
        if (!trustsPeer(peer)) {
            return;
        }
        List<Hop> hops = hops(env, peer);
        if (hops == null || hops.isEmpty()) {
            return;
        }
        int chosen = hops.size() - 1;
        ForwardedNode client = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            chosen = i;
            ForwardedNode node = ForwardedNode.parse(hops.get(i).node());
            if (node == null) {
                break;
            }
            client = node;
            if (!trusts(node.bytes())) {
                break;
            }
        }
        if (client != null && (!client.address().equals(peer) || client.port() != null)) {
            replace(env, EnvironKeys.REMOTE_ADDR, client.address());
            // the proxy's own port means nothing next to the client's address; nginx's realip drops it too
            replace(env, EnvironKeys.REMOTE_PORT, client.port());
        }
        Hop hop = hops.get(chosen);
        boolean scheme = applyProto(env, hop.proto());
        boolean host = hop.host() != null && isHost(hop.host().strip());
        if (host) {
            replace(env, EnvironKeys.HTTP_HOST, hop.host().strip());
        }
        if (scheme || host) {
            fillServer(env);
        }
    }

    /** The hops of X-Forwarded-* if any is present (they win), else of Forwarded; null when none or too long. */
    private List<Hop> hops(Environ env, String peer) {
        String forList = env.get(X_FORWARDED_FOR);
        String protoList = env.get(X_FORWARDED_PROTO);
        String hostList = env.get(X_FORWARDED_HOST);
        if (forList != null || protoList != null || hostList != null) {
            boolean tooLong = tooLong(peer, "X-Forwarded-For", forList) || tooLong(peer, "X-Forwarded-Proto", protoList)
                    || tooLong(peer, "X-Forwarded-Host", hostList);
            return tooLong ? null : ForwardedChain.xForwarded(forList, protoList, hostList);
        }
        String forwarded = env.get(FORWARDED);
        return forwarded == null || tooLong(peer, "Forwarded", forwarded) ? null : ForwardedChain.forwarded(forwarded);
    }

    private boolean tooLong(String peer, String header, String value) {
        if (value == null) {
            return false;
        }
        String over = null;
        if (value.length() > (long) maxHops * BYTES_PER_HOP) {
            over = value.length() + " bytes, over " + BYTES_PER_HOP + " per hop of max-forwarded-hops " + maxHops;
        } else {
            int hops = ForwardedChain.count(value);
            if (hops > maxHops) {
                over = hops + " hops, over max-forwarded-hops " + maxHops;
            }
        }
        if (over != null) {
            LOG.warning("[" + listener + "] " + (peer == null || peer.isEmpty() ? "unix-peer" : peer) + ": " + header
                    + " of " + over + "; the request's forwarding headers are ignored");
        }
        return over != null;
    }

    private boolean trustsPeer(String peer) {
        if (peer == null || peer.isEmpty() || peer.startsWith("unix:")) {
            return unix; // a unix-socket peer: nginx sends "unix:", the HTTP listener an empty address
        }
        int zone = peer.indexOf('%');
        byte[] address = IpLiteral.parse(peer, 0, zone < 0 ? peer.length() : zone);
        return address != null && trusts(address);
    }

    private boolean trusts(byte[] address) {
        for (TrustedProxy block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Sets the scheme from {@code proto} when it is http or https (any case); other values are ignored. */
    private static boolean applyProto(Environ env, String proto) {
        String scheme = proto == null ? "" : proto.strip().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        boolean https = scheme.equals("https");
        replace(env, EnvironKeys.WSGI_URL_SCHEME, scheme);
        replace(env, EnvironKeys.HTTPS, https ? "on" : null);
        if (env.contains(REQUEST_SCHEME)) {
            replace(env, REQUEST_SCHEME, scheme);
        }
        return true;
    }

    /** SERVER_NAME and SERVER_PORT from HTTP_HOST as it now is: its port, else the scheme's default. */
    private static void fillServer(Environ env) {
        String host = env.get(EnvironKeys.HTTP_HOST);
        if (host == null || !isHost(host)) {
            return;
        }
        int close = host.charAt(0) == '[' ? host.indexOf(']') : -1;
        int colon = host.indexOf(':', close + 1);
        String port = "https".equals(env.get(EnvironKeys.WSGI_URL_SCHEME)) ? "443" : "80";
        replace(env, EnvironKeys.SERVER_NAME, colon < 0 ? host : host.substring(0, colon));
        replace(env, EnvironKeys.SERVER_PORT, colon < 0 ? port : host.substring(colon + 1));
    }

    /** {@code name[:port]} or {@code [v6][:port]}, a name of letters, digits, '-', '.' and '_' (RFC 3986 reg-name). */
    static boolean isHost(String h) {
        if (h.isEmpty() || h.length() > MAX_HOST) {
            return false;
        }
        int i = 0;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            byte[] v6 = close < 0 ? null : IpLiteral.parse(h, 1, close);
            if (v6 == null || v6.length != 16) {
                return false;
            }
            i = close + 1;
        } else {
            while (i < h.length() && isNameChar(h.charAt(i))) {
                i++;
            }
        }
        if (i == h.length()) {
            return i > 0;
        }
        String port = h.substring(i + 1);
        return i > 0 && h.charAt(i) == ':' && port.length() >= 1 && port.length() <= 5 && port.chars().allMatch(
                c -> c >= '0' && c <= '9') && Integer.parseInt(port) <= 65_535;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_';
    }

    /** Sets {@code key} to {@code value} (null removes it), keeping the first value it had ("" for none). */
    private static void replace(Environ env, String key, String value) {
        String old = env.get(key);
        if (Objects.equals(old, value)) {
            return;
        }
        env.putIfAbsent(ORIGINAL + key, old == null ? "" : old);
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
    }
}
