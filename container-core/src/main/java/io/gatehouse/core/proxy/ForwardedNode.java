package io.gatehouse.core.proxy;

import io.gatehouse.config.IpLiteral;

/**
 * A node of a forwarding chain that names an IP address: {@code 192.0.2.7}, {@code 192.0.2.7:4711},
 * {@code 2001:db8::7}, {@code [2001:db8::7]} or {@code [2001:db8::7]:4711} (RFC 7239 section 6 and the forms
 * proxies write in X-Forwarded-For). {@code unknown}, obfuscated identifiers ({@code _hidden}) and anything else
 * are not addresses and read as null.
 *
 * @param address the address as written, without brackets or port, for REMOTE_ADDR
 * @param bytes   the address, 4 or 16 bytes, for the trust check
 * @param port    the port if one was given as digits, else null (an obfuscated port {@code _p} reads as none)
 */
record ForwardedNode(String address, byte[] bytes, String port) {
    private static final int MAX_PORT = 65_535;

    /** The address {@code node} names, or null. */
    static ForwardedNode parse(String node) {
        if (node == null || node.isEmpty()) {
            return null;
        }
        int end = node.length();
        int from = 0;
        int to = end;
        int portAt = -1;
        if (node.charAt(0) == '[') {
            int close = node.indexOf(']');
            if (close < 0 || (close + 1 < end && node.charAt(close + 1) != ':')) {
                return null;
            }
            from = 1;
            to = close;
            portAt = close + 1 < end ? close + 2 : -1;
        } else {
            int colon = node.indexOf(':');
            if (colon >= 0 && node.indexOf(':', colon + 1) < 0) {
                to = colon; // one colon: IPv4 and a port; more: a bare IPv6 address
                portAt = colon + 1;
            }
        }
        byte[] bytes = IpLiteral.parse(node, from, to);
        if (bytes == null) {
            return null;
        }
        String port = null;
        if (portAt >= 0) {
            String text = node.substring(portAt);
            if (isPort(text)) {
                port = text;
            } else if (!isObfuscated(text)) {
                return null;
            }
        }
        return new ForwardedNode(node.substring(from, to), bytes, port);
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(text) <= MAX_PORT;
    }

    /** RFC 7239 section 6.3: {@code "_" 1*(ALPHA / DIGIT / "." / "_" / "-")}. */
    static boolean isObfuscated(String text) {
        if (text.length() < 2 || text.charAt(0) != '_') {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
