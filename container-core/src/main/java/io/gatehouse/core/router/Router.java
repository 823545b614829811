package io.gatehouse.core.router;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.core.exchange.Routing;
import io.gatehouse.spi.exchange.Exchange;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the app for a request: the virtual host by Host (else SERVER_NAME), then the longest mount prefix.
 * It rewrites SCRIPT_NAME to the mount and PATH_INFO to the rest, as uWSGI's manage-script-name does, so an app
 * mounted at {@code /app} sees SCRIPT_NAME {@code /app} and PATH_INFO {@code /x} for {@code /app/x} whichever
 * listener the request came in on. Immutable: a reload builds a new router and swaps it in.
 */
public final class Router implements Routing {
    private final Map<String, MountTable> byHost;
    private final MountTable defaults;

    private Router(Map<String, MountTable> byHost, MountTable defaults) {
        this.byHost = byHost;
        this.defaults = defaults;
    }

    /** A builder for a new routing table. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void route(Exchange exchange) {
        Environ env = exchange.environ();
        MountTable table = tableFor(env);
        String path = requestPath(env);
        MountTable.Mount mount = table == null ? null : table.match(path);
        if (mount == null) {
            exchange.response().error(404, null);
            return;
        }
        String prefix = mount.prefix();
        if (prefix.equals("/")) {
            env.put(EnvironKeys.SCRIPT_NAME, "");
            env.put(EnvironKeys.PATH_INFO, path);
        } else {
            env.put(EnvironKeys.SCRIPT_NAME, prefix);
            env.put(EnvironKeys.PATH_INFO, path.substring(prefix.length()));
        }
        exchange.appName(mount.dispatcher().appName());
        mount.dispatcher().dispatch(exchange);
    }

    /** The full path the client asked for: the front server's SCRIPT_NAME and PATH_INFO joined. */
    static String requestPath(Environ env) {
        String script = env.getOrDefault(EnvironKeys.SCRIPT_NAME, "");
        String info = env.getOrDefault(EnvironKeys.PATH_INFO, "");
        String path = script.isEmpty() ? info : script + info;
        return path.isEmpty() || path.charAt(0) != '/' ? "/" + path : path;
    }

    private MountTable tableFor(Environ env) {
        if (byHost.isEmpty()) {
            return defaults;
        }
        String host = hostName(env);
        if (host != null) {
            MountTable t = byHost.get(host);
            for (int dot = host.indexOf('.'); t == null && dot >= 0; dot = host.indexOf('.', dot + 1)) {
                t = byHost.get("*" + host.substring(dot));
            }
            if (t != null) {
                return t;
            }
        }
        return defaults;
    }

    /** The host a request names, lower-cased and without its port; null if none. */
    static String hostName(Environ env) {
        String host = env.get(EnvironKeys.HTTP_HOST);
        if (host == null || host.isEmpty()) {
            host = env.get(EnvironKeys.SERVER_NAME);
        }
        if (host == null || host.isEmpty()) {
            return null;
        }
        int end = host.length();
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            end = close > 0 ? close + 1 : end;
        } else {
            int colon = host.lastIndexOf(':');
            end = colon >= 0 ? colon : end;
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        return host.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** Collects mounts; hosts are matched exactly, or as {@code *.example.com} for any subdomain. */
    public static final class Builder {
        private final Map<String, MountTable> byHost = new HashMap<>();
        private final MountTable defaults = new MountTable();

        /** Mounts {@code dispatcher} at {@code prefix} on each host (or the default set when empty). */
        public Builder mount(List<String> hosts, String prefix, Dispatcher dispatcher) {
            if (hosts.isEmpty()) {
                add(defaults, prefix, dispatcher, "the default hosts");
            }
            for (String host : hosts) {
                String key = host.toLowerCase(Locale.ROOT);
                add(byHost.computeIfAbsent(key, h -> new MountTable()), prefix, dispatcher, "host " + host);
            }
            return this;
        }

        private static void add(MountTable table, String prefix, Dispatcher dispatcher, String where) {
            if (!table.add(prefix, dispatcher)) {
                throw new IllegalArgumentException("mount " + prefix + " on " + where + " is taken twice");
            }
        }

        /** The finished router. */
        public Router build() {
            return new Router(Map.copyOf(byHost), defaults);
        }
    }
}
