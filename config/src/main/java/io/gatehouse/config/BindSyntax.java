package io.gatehouse.config;

import java.util.regex.Pattern;

/** The grammar of {@code bind:} values, kept apart from {@link BindAddress} so the interface stays a list of forms. */
final class BindSyntax {

    static final String EXPECTED = "expected host:port, [v6]:port, unix:/path, fd:N or systemd:NAME";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    // systemd socket names (FileDescriptorName=) are at most 255 printable characters without ':'.
    private static final Pattern SYSTEMD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]{1,255}");

    private BindSyntax() {
    }

    static BindAddress parse(String text) {
        if (text.startsWith("unix:")) {
            return new BindAddress.Unix(text.substring("unix:".length()));
        }
        if (text.startsWith("fd:")) {
            String fd = text.substring("fd:".length());
            if (!DIGITS.matcher(fd).matches() || fd.length() > 9) {
                throw new IllegalArgumentException("expected fd:N with N a non-negative integer, got '" + text + "'");
            }
            return new BindAddress.Fd(Integer.parseInt(fd));
        }
        if (text.startsWith("systemd:")) {
            String name = text.substring("systemd:".length());
            if (!SYSTEMD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "expected systemd:NAME with a socket name of printable characters and no ':', got '" + text + "'");
            }
            return new BindAddress.Systemd(name);
        }
        if (text.startsWith("[")) {
            return parseBracketed(text);
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            String hint = DIGITS.matcher(text).matches() ? " (write ':" + text + "' to listen on every interface)" : "";
            throw new IllegalArgumentException(EXPECTED + ", got '" + text + "'" + hint);
        }
        String host = text.substring(0, colon);
        if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 address needs brackets, such as [::1]:8080, got '" + text + "'");
        }
        if (!host.isEmpty() && !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + text + "'");
        }
        return new BindAddress.Inet(host, port(text.substring(colon + 1), text));
    }

    private static BindAddress parseBracketed(String text) {
        int close = text.indexOf("]:");
        String host = close < 0 ? "" : text.substring(1, close);
        if (close < 0 || host.indexOf(':') < 0 || !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + text + "'");
        }
        return new BindAddress.Inet(host, port(text.substring(close + 2), text));
    }

    private static int port(String port, String text) {
        if (!DIGITS.matcher(port).matches()) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + text + "'");
        }
        if (port.length() > 5 || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got '" + text + "'");
        }
        return Integer.parseInt(port);
    }
}
