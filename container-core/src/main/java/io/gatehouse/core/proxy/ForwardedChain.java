package io.gatehouse.core.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hops a forwarding header lists, left (the first proxy's client) to right (what the nearest proxy received
 * from): X-Forwarded-For with X-Forwarded-Proto and X-Forwarded-Host, or RFC 7239's Forwarded. Parsing never
 * throws; what does not parse becomes a hop that names no address, where the walk stops.
 */
final class ForwardedChain {

    /**
     * One hop: the node a proxy received the request from, and the scheme and Host it received it with; null
     * where the header does not say.
     */
    record Hop(String node, String proto, String host) {
    }

    /** A Forwarded element that does not parse: it names nothing, and nothing left of it is believed. */
    static final Hop MALFORMED = new Hop(null, null, null);

    private ForwardedChain() {
    }

    /**
     * The hops of X-Forwarded-For ({@code forList}, may be null: then one hop naming no address). X-Forwarded-Proto
     * and X-Forwarded-Host values that line up one per X-Forwarded-For entry (each proxy appended its own) are read
     * per hop; otherwise their right-most value, the one the nearest proxy set or passed on, stands for every hop.
     */
    static List<Hop> xForwarded(String forList, String protoList, String hostList) {
        List<String> nodes = split(forList);
        List<String> protos = split(protoList);
        List<String> hosts = split(hostList);
        int n = Math.max(nodes.size(), 1);
        List<Hop> hops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hops.add(new Hop(i < nodes.size() ? nodes.get(i) : null, pick(protos, i, n), pick(hosts, i, n)));
        }
        return hops;
    }

    private static String pick(List<String> values, int i, int n) {
        if (values.isEmpty()) {
            return null;
        }
        return values.get(values.size() == n ? i : values.size() - 1);
    }

    /** The elements of a comma-separated list, trimmed; empty elements are skipped (RFC 9110 section 5.6.1). */
    static List<String> split(String list) {
        if (list == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            if (i == list.length() || list.charAt(i) == ',') {
                String item = list.substring(start, i).strip();
                if (!item.isEmpty()) {
                    out.add(item);
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** An upper bound of the elements of a list: its commas outside quoted strings, plus one. */
    static int count(String list) {
        int n = 1;
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ',' && !quoted) {
                n++;
            }
        }
        return n;
    }

    /**
     * The elements of a Forwarded header (RFC 7239 section 4): {@code for}, {@code proto} and {@code host} of
     * each, values as tokens or quoted strings, parameter names in any case, {@code by} and extensions ignored.
     * Unquoted values are read up to the next {@code ;} or {@code ,} even where RFC 7239 asks for quotes
     * ({@code for=[2001:db8::1]:80}), as proxies write them. An element with a syntax error or a repeated
     * parameter is {@link #MALFORMED}.
     */
    static List<Hop> forwarded(String header) {
        List<Hop> hops = new ArrayList<>(4);
        Cursor c = new Cursor(header);
        while (c.skipSpace()) {
            if (c.peek() == ',') {
                c.pos++;
            } else {
                hops.add(c.element());
            }
        }
        return hops;
    }

    /** A reading position in a Forwarded header. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
            return pos < s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        /** Reads one element and the comma after it. */
        Hop element() {
            String[] values = new String[3]; // for, proto, host
            while (pair(values)) {
                if (!skipSpace() || peek() == ',') {
                    pos++;
                    return new Hop(values[0], values[1], values[2]);
                }
                if (peek() != ';') {
                    break;
                }
                pos++;
            }
            skipElement();
            return MALFORMED;
        }

        private boolean pair(String[] values) {
            skipSpace();
            int start = pos;
            while (pos < s.length() && isTchar(s.charAt(pos))) {
                pos++;
            }
            if (pos == start || pos >= s.length() || s.charAt(pos) != '=') {
                return false;
            }
            String name = s.substring(start, pos++).toLowerCase(Locale.ROOT);
            String value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : token();
            if (value == null) {
                return false;
            }
            int slot = switch (name) {
                case "for" -> 0;
                case "proto" -> 1;
                case "host" -> 2;
                default -> -1;
            };
            if (slot < 0) {
                return true;
            }
            if (values[slot] != null) {
                return false; // RFC 7239 section 4: a parameter must not occur twice in an element
            }
            values[slot] = value;
            return true;
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                value.append(c);
            }
            return null;
        }

        private String token() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c <= ' ' || c == 0x7f || c == ';' || c == ',' || c == '"') {
                    break;
                }
                pos++;
            }
            return pos > start ? s.substring(start, pos) : null;
        }

        /** Moves past the next comma outside a quoted string, or to the end. */
        private void skipElement() {
            boolean quoted = false;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '\\' && quoted) {
                    pos++;
                } else if (c == ',' && !quoted) {
                    return;
                }
            }
        }

        private static boolean isTchar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
