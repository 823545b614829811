package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The per-connection part of every environ on one HTTP connection: peer and local addresses and the TLS facts,
 * computed once, and the server name of the last Host seen (kept-alive clients send the same one every time).
 */
final class Http1Connection {
    private final String remoteAddr;
    private final String remotePort;
    private final String localAddr;
    private final String localPort;
    /** The connection's TLS variables, or null for cleartext. */
    private final HttpTlsEnviron tls;
    private final String defaultName;
    private String lastHost;
    private String lastValidHost;
    private String lastServerName;
    private String lastServerPort;

    Http1Connection(SocketAddress remote, SocketAddress local, HttpTlsEnviron tls) {
        this.tls = tls;
        if (remote instanceof InetSocketAddress r) {
            remoteAddr = r.getAddress() != null ? r.getAddress().getHostAddress() : r.getHostString();
            remotePort = Integer.toString(r.getPort());
        } else {
            remoteAddr = "";
            remotePort = null;
        }
        if (local instanceof InetSocketAddress l) {
            localAddr = l.getAddress() != null ? l.getAddress().getHostAddress() : l.getHostString();
            localPort = Integer.toString(l.getPort());
        } else {
            localAddr = "localhost";
            localPort = null;
        }
        // without Host (HTTP/1.0), the name the client asked for by SNI says more than the local address
        defaultName = tls != null && tls.sni() != null ? tls.sni() : localAddr;
    }

    /** True when {@code host} is a valid Host value; the last one checked is remembered, as clients repeat it. */
    boolean isValidHost(String host) {
        if (host.equals(lastValidHost)) {
            return true;
        }
        boolean valid = Http1Target.isValidHost(host);
        if (valid) {
            lastValidHost = host;
        }
        return valid;
    }

    /**
     * Adds the connection's keys. SERVER_NAME is the host named by the request (Host or absolute target), else
     * the local address; SERVER_PORT the port the connection arrived on, else the Host's port, else 80.
     */
    void fill(Environ env, String host) {
        if (host == null || host.isEmpty()) {
            env.append(EnvironKeys.SERVER_NAME, defaultName);
            env.append(EnvironKeys.SERVER_PORT, localPort != null ? localPort : "80");
        } else {
            if (!host.equals(lastHost)) {
                splitHost(host);
            }
            env.append(EnvironKeys.SERVER_NAME, lastServerName);
            env.append(EnvironKeys.SERVER_PORT, lastServerPort);
        }
        env.append(EnvironKeys.REMOTE_ADDR, remoteAddr);
        if (remotePort != null) {
            env.append(EnvironKeys.REMOTE_PORT, remotePort);
        }
        env.append(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        env.append(EnvironKeys.SERVER_SOFTWARE, EnvironKeys.SOFTWARE);
        if (tls == null) {
            env.append(EnvironKeys.WSGI_URL_SCHEME, "http");
        } else {
            env.append(EnvironKeys.WSGI_URL_SCHEME, "https");
            tls.fill(env);
        }
    }

    private void splitHost(String host) {
        int colon = host.lastIndexOf(':');
        int close = host.indexOf(']');
        String port = null;
        if (colon > close) {
            lastServerName = host.substring(0, colon);
            port = colon + 1 < host.length() ? host.substring(colon + 1) : null;
        } else {
            lastServerName = host;
        }
        if (lastServerName.isEmpty()) {
            lastServerName = defaultName;
        }
        lastServerPort = localPort != null ? localPort : port != null ? port : tls != null ? "443" : "80";
        lastHost = host;
    }
}
