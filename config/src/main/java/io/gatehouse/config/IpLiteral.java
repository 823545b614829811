package io.gatehouse.config;

import java.util.Arrays;

/**
 * IP address literals read strictly and without any name lookup: dotted-quad IPv4 (no leading zeros, which some
 * parsers read as octal) and RFC 4291 IPv6 text (with {@code ::} and an IPv4 tail, no zone). The config reads
 * trusted proxies with it, and the engine reads forwarded client addresses with it, so both agree on what an
 * address is.
 */
public final class IpLiteral {
    private static final int V4 = 4;
    private static final int V6 = 16;

    private IpLiteral() {
    }

    /** The address {@code text} writes, 4 or 16 bytes; null when it is not an address literal. */
    public static byte[] parse(CharSequence text) {
        return parse(text, 0, text.length());
    }

    /** The address written in {@code text} from {@code from} to {@code to}; null when that is not one. */
    public static byte[] parse(CharSequence text, int from, int to) {
        if (to - from < 2 || to - from > 45) {
            return null;
        }
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ':') {
                return parseV6(text, from, to);
            }
        }
        byte[] out = new byte[V4];
        return parseV4(text, from, to, out, 0) ? out : null;
    }

    /** The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for, else {@code address}. */
    public static byte[] unmapped(byte[] address) {
        if (address.length != V6) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    private static boolean parseV4(CharSequence text, int from, int to, byte[] out, int at) {
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            char c = i == to ? '.' : text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false; // "010" is octal to inet_aton and decimal to others: refuse it
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else if (c == '.' && value >= 0 && part < 4) {
                out[at + part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return false;
            }
        }
        return part == 4;
    }

    private static byte[] parseV6(CharSequence text, int from, int to) {
        byte[] out = new byte[V6];
        int at = 0;
        int gap = -1;
        int i = from;
        if (text.charAt(i) == ':') {
            if (text.charAt(i + 1) != ':') {
                return null;
            }
            gap = 0;
            i += 2;
        }
        while (i < to) {
            int end = i;
            int value = 0;
            while (end < to && end - i < 5 && Character.digit(text.charAt(end), 16) >= 0) {
                value = value << 4 | Character.digit(text.charAt(end), 16);
                end++;
            }
            if (end < to && text.charAt(end) == '.') {
                if (at > V6 - V4 || !parseV4(text, i, to, out, at)) {
                    return null;
                }
                at += V4;
                break;
            }
            if (end == i || end - i > 4 || at > V6 - 2) {
                return null;
            }
            out[at++] = (byte) (value >> 8);
            out[at++] = (byte) value;
            if (end == to) {
                break;
            }
            if (text.charAt(end) != ':' || end + 1 == to) {
                return null;
            }
            i = end + 1;
            if (text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = at;
                i++;
            }
        }
        if (gap < 0) {
            return at == V6 ? out : null;
        }
        if (at == V6) {
            return null; // "::" must stand for at least one group
        }
        int tail = at - gap;
        System.arraycopy(out, gap, out, V6 - tail, tail);
        Arrays.fill(out, gap, V6 - tail, (byte) 0);
        return out;
    }
}
