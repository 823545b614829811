package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The per-connection part of every environ on one HTTP connection: peer and local addresses, computed once.
 */
final class Http1Connection {
    private final String remoteAddr;
    private final String remotePort;
    private final String localAddr;
    private final String localPort;

    Http1Connection(SocketAddress remote, SocketAddress local) {
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
    }

    /** Adds the connection's keys; SERVER_NAME comes from the Host (or absolute target) when there is one. */
    void fill(Environ env, String host) {
        String serverName = localAddr;
        String serverPort = localPort;
        if (host != null && !host.isEmpty()) {
            int colon = host.lastIndexOf(':');
            boolean v6 = host.charAt(0) == '[';
            int close = host.indexOf(']');
            if (colon > 0 && (!v6 || colon > close)) {
                serverName = host.substring(0, colon);
                if (serverPort == null) {
                    serverPort = host.substring(colon + 1);
                }
            } else {
                serverName = host;
            }
        }
        env.put(EnvironKeys.SERVER_NAME, serverName);
        env.put(EnvironKeys.SERVER_PORT, serverPort != null ? serverPort : "80");
        env.put(EnvironKeys.REMOTE_ADDR, remoteAddr);
        if (remotePort != null) {
            env.put(EnvironKeys.REMOTE_PORT, remotePort);
        }
        env.put(EnvironKeys.GATEWAY_INTERFACE, "CGI/1.1");
        env.put(EnvironKeys.SERVER_SOFTWARE, EnvironKeys.SOFTWARE);
        env.put(EnvironKeys.WSGI_URL_SCHEME, "http");
    }
}
