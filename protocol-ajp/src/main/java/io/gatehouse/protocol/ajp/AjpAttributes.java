package io.gatehouse.protocol.ajp;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional attributes that end a forward request, up to the 0xFF terminator, and the environ keys they become:
 * remote_user, auth_type and query_string as their CGI variables; ssl_cert, ssl_cipher, ssl_session and
 * ssl_key_size under mod_ssl's names (only when is_ssl is set, so a plain connection never claims TLS facts);
 * context, servlet_path and route as AJP_CONTEXT, AJP_SERVLET_PATH and AJP_ROUTE; the req_attribute pairs web servers
 * send by themselves as REMOTE_PORT, SERVER_ADDR and SSL_PROTOCOL, and the others, when known or admitted by
 * allowed-attributes, as AJP_ATTR_name. The secret is compared and never stored.
 */
final class AjpAttributes {
    /** Prefix of the environ keys of request attributes without a CGI counterpart. */
    static final String ATTR_PREFIX = "AJP_ATTR_";

    private String context;
    private String servletPath;
    private String remoteUser;
    private String authType;
    private String queryString;
    private String route;
    private String sslCert;
    private String sslCipher;
    private String sslSession;
    private int sslKeySize = -1;
    private String secret;
    private String storedMethod;
    private String remotePort;
    private String localAddr;
    private String sslProtocol;
    private List<String> extra;

    private AjpAttributes() {
    }

    /** Reads attributes up to the terminator, which must end the packet. */
    static AjpAttributes decode(AjpPayload p, AjpOptions options) {
        AjpAttributes a = new AjpAttributes();
        for (;;) {
            int code = p.u8("attribute code");
            switch (code) {
                case AjpConstants.ATTR_ARE_DONE -> {
                    if (p.hasMore()) {
                        throw AjpPayload.malformed(p.remaining() + " bytes after the attribute terminator");
                    }
                    return a;
                }
                case AjpConstants.ATTR_CONTEXT -> a.context = p.string("context");
                case AjpConstants.ATTR_SERVLET_PATH -> a.servletPath = p.string("servlet_path");
                case AjpConstants.ATTR_REMOTE_USER -> a.remoteUser = p.string("remote_user");
                case AjpConstants.ATTR_AUTH_TYPE -> a.authType = p.string("auth_type");
                case AjpConstants.ATTR_QUERY_STRING -> a.queryString = p.string("query_string");
                case AjpConstants.ATTR_ROUTE -> a.route = p.string("route");
                case AjpConstants.ATTR_SSL_CERT -> a.sslCert = p.string("ssl_cert");
                case AjpConstants.ATTR_SSL_CIPHER -> a.sslCipher = p.string("ssl_cipher");
                case AjpConstants.ATTR_SSL_SESSION -> a.sslSession = p.string("ssl_session");
                case AjpConstants.ATTR_SSL_KEY_SIZE -> a.sslKeySize = p.u16("ssl_key_size");
                case AjpConstants.ATTR_SECRET -> a.secret = p.string("secret");
                case AjpConstants.ATTR_STORED_METHOD -> a.storedMethod = p.requiredString("stored_method");
                case AjpConstants.ATTR_REQ_ATTRIBUTE -> a.requestAttribute(p.requiredString("req_attribute name"),
                        p.requiredString("req_attribute value"), options);
                default -> throw AjpPayload.malformed(String.format("unknown attribute code 0x%02X", code));
            }
        }
    }

    private void requestAttribute(String name, String value, AjpOptions options) {
        switch (name) {
            case AjpConstants.REQ_REMOTE_PORT -> remotePort = value;
            case AjpConstants.REQ_LOCAL_ADDR -> localAddr = value;
            case AjpConstants.REQ_SSL_PROTOCOL -> sslProtocol = value;
            default -> {
                if (name.equals(AjpConstants.REQ_LB_ACTIVATION)
                        || (options.allowedAttributes() != null && options.allowedAttributes().admits(name))) {
                    if (extra == null) {
                        extra = new ArrayList<>(4);
                    }
                    extra.add(name);
                    extra.add(value);
                }
            }
        }
    }

    /** Refuses the request with 403 unless it carries {@code expected} (when a secret is configured). */
    void checkSecret(String expected) {
        if (expected == null) {
            return;
        }
        if (secret == null) {
            throw new ProtocolException(Fault.FORBIDDEN, "forward request without the secret");
        }
        // Constant time, so the comparison does not tell a prober how much of a guess was right.
        if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.ISO_8859_1),
                expected.getBytes(StandardCharsets.ISO_8859_1))) {
            throw new ProtocolException(Fault.FORBIDDEN, "forward request with a wrong secret");
        }
    }

    String storedMethod() {
        return storedMethod;
    }

    String queryString() {
        return queryString;
    }

    /** Adds the attributes' environ keys; the TLS ones only for a request the web server received over TLS. */
    void fill(Environ env, boolean ssl) {
        putIfSet(env, EnvironKeys.REMOTE_USER, remoteUser);
        putIfSet(env, EnvironKeys.AUTH_TYPE, authType);
        if (remotePort != null && isPort(remotePort)) {
            env.put(EnvironKeys.REMOTE_PORT, remotePort);
        }
        putIfSet(env, "SERVER_ADDR", localAddr);
        if (ssl) {
            putIfSet(env, "SSL_CLIENT_CERT", sslCert);
            putIfSet(env, "SSL_CIPHER", sslCipher);
            putIfSet(env, "SSL_SESSION_ID", sslSession);
            if (sslKeySize >= 0) {
                env.put("SSL_CIPHER_USEKEYSIZE", Integer.toString(sslKeySize));
            }
            putIfSet(env, "SSL_PROTOCOL", sslProtocol);
        }
        putIfSet(env, "AJP_CONTEXT", context);
        putIfSet(env, "AJP_SERVLET_PATH", servletPath);
        putIfSet(env, "AJP_ROUTE", route);
        if (extra != null) {
            for (int i = 0; i < extra.size(); i += 2) {
                env.put(ATTR_PREFIX + extra.get(i), extra.get(i + 1));
            }
        }
    }

    private static void putIfSet(Environ env, String key, String value) {
        if (value != null && !value.isEmpty()) {
            env.put(key, value);
        }
    }

    private static boolean isPort(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
