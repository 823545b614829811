package io.gatehouse.cli.uwsgi;

import io.gatehouse.config.DataSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * uWSGI's sockets as listeners: {@code socket} (with {@code protocol}), {@code http-socket}, {@code http},
 * {@code fastcgi-socket} and {@code scgi-socket} each become one, and {@code chmod-socket}, {@code chown-socket},
 * {@code listen}, {@code buffer-size}, {@code limit-post} and {@code socket-timeout} apply to every listener they fit.
 */
final class ListenerImport {

    private static final Map<String, String> PROTOCOLS = Map.of("uwsgi-socket", "uwsgi", "http-socket", "http",
            "http", "http", "fastcgi-socket", "fastcgi", "scgi-socket", "scgi");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    /** Each listener protocol's name for uWSGI's buffer-size and limit-post, and buffer-size's bounds. */
    private static final Map<String, String> BUFFER_KEY = Map.of("uwsgi", "buffer-size", "scgi", "buffer-size",
            "http", "max-header-size", "fastcgi", "max-params-size");
    private static final Map<String, long[]> BUFFER_BOUNDS = Map.of("uwsgi", new long[] {1024, 65536},
            "scgi", new long[] {1024, 1048576}, "http", new long[] {64, 16777216},
            "fastcgi", new long[] {1024, 16777216});
    private static final Map<String, String> BODY_KEY = Map.of("uwsgi", "limit-post", "scgi", "limit-post",
            "http", "max-body-size", "fastcgi", "max-body-size");

    private record Listener(String protocol, boolean unix, YamlTree yaml) {
    }

    private final List<Listener> listeners = new ArrayList<>();
    private final List<ImportNote> unmapped;

    ListenerImport(List<ImportNote> unmapped) {
        this.unmapped = unmapped;
    }

    /** The listeners of the config's sockets, with the socket options applied; empty when it has none. */
    List<YamlTree> convert(UwsgiOptions options) {
        String defaultProtocol = options.takeLast("protocol").map(o -> protocolOf(o.value())).orElse("uwsgi");
        for (UwsgiOption o : options.take("socket", "uwsgi-socket", "http-socket", "http", "fastcgi-socket",
                "scgi-socket")) {
            String name = UwsgiOptions.usual(o);
            String protocol = name.equals("socket") ? defaultProtocol : PROTOCOLS.get(name);
            if (protocol == null) {
                unmapped.add(new ImportNote(o, "its protocol has no listener here (uwsgi, http, fastcgi, scgi, ajp)"));
            } else if (o.value().startsWith("@")) {
                unmapped.add(new ImportNote(o, "abstract unix sockets are not supported: use a path"));
            } else {
                add(o, protocol);
            }
        }
        applyToAll(options);
        return listeners.stream().map(Listener::yaml).toList();
    }

    private void add(UwsgiOption o, String protocol) {
        String bind = bind(o.value());
        YamlTree yaml = new YamlTree()
                .put("protocol", protocol, "uWSGI: " + o.written() + (o.name().equals("http")
                        ? " (uWSGI's HTTP router; this listener serves the apps itself)" : ""))
                .put("bind", bind, null);
        listeners.add(new Listener(protocol, bind.startsWith("unix:"), yaml));
    }

    /** uWSGI's address forms: {@code host:port}, {@code :port}, {@code [v6]:port}, else a unix socket path. */
    static String bind(String address) {
        int colon = address.lastIndexOf(':');
        boolean inet = colon >= 0 && PORT.matcher(address.substring(colon + 1)).matches()
                && address.indexOf('/') < 0;
        if (!inet) {
            return "unix:" + address;
        }
        String host = address.substring(0, colon);
        return (host.equals("*") ? "" : host) + address.substring(colon);
    }

    private void applyToAll(UwsgiOptions options) {
        options.takeLast("chmod-socket").ifPresent(o -> eachUnix(o, l -> l.yaml().put("mode",
                "0" + (o.value().isEmpty() || o.value().equals("1") ? "666" : o.value()), comment(o))));
        options.takeLast("chown-socket").ifPresent(o -> eachUnix(o, l -> l.yaml().put("owner", o.value(), comment(o))));
        options.takeLast("listen").ifPresent(o -> each(o, l -> l.yaml().put("backlog", UwsgiValue.count(o),
                comment(o))));
        options.takeLast("buffer-size").ifPresent(o -> each(o, l -> buffer(o, l)));
        options.takeLast("limit-post").ifPresent(o -> each(o, l -> l.yaml().put(BODY_KEY.get(l.protocol()),
                YamlTree.string(UwsgiValue.bytes(o)), comment(o))));
        options.takeLast("socket-timeout").ifPresent(o -> each(o, l -> l.yaml().put("header-timeout",
                UwsgiValue.seconds(o), comment(o))));
    }

    /** buffer-size within the listener's bounds: uWSGI let it exceed what a uwsgi packet header can describe. */
    private static void buffer(UwsgiOption o, Listener l) {
        long[] bounds = BUFFER_BOUNDS.get(l.protocol());
        long wanted = UwsgiValue.count(o);
        long bytes = Math.max(bounds[0], Math.min(bounds[1], wanted));
        String value = DataSize.ofBytes(bytes).toString();
        l.yaml().put(BUFFER_KEY.get(l.protocol()), YamlTree.string(value), comment(o)
                + (bytes != wanted ? " (" + l.protocol() + " listeners take " + YamlTree.string(value).text()
                + " at " + (bytes < wanted ? "most" : "least") + ")" : ""));
    }

    private void each(UwsgiOption o, Consumer<Listener> apply) {
        if (listeners.isEmpty()) {
            unmapped.add(new ImportNote(o, "there is no socket to apply it to"));
        }
        listeners.forEach(apply);
    }

    private void eachUnix(UwsgiOption o, Consumer<Listener> apply) {
        List<Listener> unix = listeners.stream().filter(Listener::unix).toList();
        if (unix.isEmpty()) {
            unmapped.add(new ImportNote(o, "there is no unix socket to apply it to"));
        }
        unix.forEach(apply);
    }

    private String protocolOf(String uwsgiName) {
        return switch (uwsgiName) {
            case "uwsgi", "http", "fastcgi", "scgi" -> uwsgiName;
            case "http11" -> "http";
            default -> null;
        };
    }

    private static String comment(UwsgiOption o) {
        return "uWSGI: " + o.written();
    }
}
