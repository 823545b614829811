package io.gatehouse.config;

import java.util.Arrays;

/**
 * One entry of a listener's {@code trusted-proxies}: an IP address ({@code 127.0.0.1}, {@code ::1}), a CIDR block
 * ({@code 10.0.0.0/8}, {@code fd00::/8}), or {@code unix} for peers on a unix socket, as nginx's
 * {@code set_real_ip_from unix:}. Names are refused rather than looked up: a trust decision must not depend on
 * DNS.
 */
public final class TrustedProxy {
    /** The word for unix-socket peers ({@code unix:} as nginx writes it is accepted too). */
    public static final String UNIX = "unix";

    private final String text;
    private final byte[] network;
    private final int prefix;

    private TrustedProxy(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
    }

    /** Reads an address, a CIDR block or {@code unix}; a wrong text throws with the message for the user. */
    public static TrustedProxy parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase(UNIX) || t.equalsIgnoreCase(UNIX + ":")) {
            return new TrustedProxy(UNIX, null, 0);
        }
        int slash = t.indexOf('/');
        byte[] address = IpLiteral.parse(t, 0, slash < 0 ? t.length() : slash);
        if (address == null) {
            throw new IllegalArgumentException("expected an IP address, a CIDR block such as 10.0.0.0/8, or unix; "
                    + "got '" + text + "'" + (looksLikeName(t) ? " (host names are not looked up)" : ""));
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = t.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("the prefix length of '" + text + "' must be 0 to " + bits
                        + " for an IPv" + (bits == 32 ? 4 : 6) + " address");
            }
            prefix = Integer.parseInt(length);
        }
        byte[] v4 = IpLiteral.unmapped(address);
        if (v4 != address) {
            // ::ffff:a.b.c.d is how a dual-stack socket shows an IPv4 peer: the block is the IPv4 one
            if (prefix < 96) {
                throw new IllegalArgumentException("the IPv4-mapped block '" + text + "' needs a prefix length of at "
                        + "least 96");
            }
            address = v4;
            prefix -= 96;
        }
        byte[] network = masked(address, prefix);
        if (!Arrays.equals(network, address)) {
            // nginx only warns here; a block written with host bits is more often a typo than an intent
            throw new IllegalArgumentException("'" + text + "' has bits set after its /" + prefix
                    + " prefix; the block is " + new TrustedProxy(null, network, prefix).format());
        }
        return new TrustedProxy(t, network, prefix);
    }

    /** True for the {@code unix} entry. */
    public boolean isUnix() {
        return network == null;
    }

    /** True when {@code address} (4 or 16 bytes, IPv4-mapped IPv6 read as IPv4) lies in this block. */
    public boolean contains(byte[] address) {
        if (network == null) {
            return false;
        }
        byte[] a = IpLiteral.unmapped(address);
        if (a.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || ((a[whole] ^ network[whole]) & (0xff << (8 - rest))) == 0;
    }

    private static boolean looksLikeName(String t) {
        return t.indexOf(':') < 0 && t.indexOf('/') < 0 && t.chars().anyMatch(Character::isLetter);
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    private String format() {
        StringBuilder s = new StringBuilder();
        if (network.length == 4) {
            for (int i = 0; i < 4; i++) {
                s.append(i == 0 ? "" : ".").append(network[i] & 0xff);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                int group = (network[i] & 0xff) << 8 | network[i + 1] & 0xff;
                s.append(i == 0 ? "" : ":").append(Integer.toHexString(group));
            }
        }
        return s.append('/').append(prefix).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxy p && prefix == p.prefix && Arrays.equals(network, p.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** As written (spaces and a trailing colon of {@code unix:} removed). */
    @Override
    public String toString() {
        return text;
    }
}
