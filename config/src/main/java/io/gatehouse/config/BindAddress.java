package io.gatehouse.config;

import java.util.Objects;

/** Where a listener accepts connections: a TCP host and port, a unix socket, an inherited fd or a systemd socket. */
public sealed interface BindAddress permits BindAddress.Inet, BindAddress.Unix, BindAddress.Fd, BindAddress.Systemd {

    /** Parses {@code host:port}, {@code [v6]:port}, {@code :port}, {@code unix:PATH}, {@code fd:N} or {@code systemd:NAME}. */
    static BindAddress parse(String text) {
        return BindSyntax.parse(text);
    }

    /** A TCP address; an empty host means every interface. */
    record Inet(String host, int port) implements BindAddress {

        public Inet {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
        }

        /** Whether this binds every interface ({@code :8080}). */
        public boolean isAnyHost() {
            return host.isEmpty();
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A unix domain socket path, absolute or relative to the working directory. */
    record Unix(String path) implements BindAddress {

        public Unix {
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("expected a socket path after 'unix:'");
            }
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** A listening socket inherited as an open file descriptor. */
    record Fd(int fd) implements BindAddress {

        public Fd {
            if (fd < 0) {
                throw new IllegalArgumentException("fd must not be negative, got " + fd);
            }
        }

        @Override
        public String toString() {
            return "fd:" + fd;
        }
    }

    /** A socket passed by systemd socket activation, found by its LISTEN_FDNAMES name. */
    record Systemd(String name) implements BindAddress {

        public Systemd {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("expected a socket name after 'systemd:'");
            }
        }

        @Override
        public String toString() {
            return "systemd:" + name;
        }
    }
}
