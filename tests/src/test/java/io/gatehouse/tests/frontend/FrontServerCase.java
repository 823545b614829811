package io.gatehouse.tests.frontend;

import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.GatehouseProcess;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The front servers the end-to-end tests put before Gatehouse, one row per (front server, protocol) pair: the
 * protocol, the Gatehouse listeners (list items under {@code listeners:}), the front server's config and its
 * quirks. Fragments name the places of one run ({@link FrontSite}) as {@code {port}} (the main listener),
 * {@code {limited}} (a second listener with small limits, where a row has one), {@code {socket}}, {@code {tls}}
 * (a TLS port of the front server), {@code {secret}} and {@code {dir}} (the front server's directory). Every
 * front server also serves its routes over TLS on {@code {tls}} (see {@link FrontSite}).
 */
public enum FrontServerCase {
    /**
     * nginx uwsgi_pass over TCP; /limited/ reaches a listener of 1 KiB limits, /app/params-only/ is a location with
     * a few uwsgi_param lines and no {@code include uwsgi_params}, /ping/ sends a packet that is no request.
     */
    NGINX_UWSGI_TCP("uwsgi", """
            - {name: uwsgi-tcp, protocol: uwsgi, bind: "127.0.0.1:{port}"}
            - {name: uwsgi-limited, protocol: uwsgi, bind: "127.0.0.1:{limited}", buffer-size: 1KiB, limit-post: 1KiB}
            """) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.nginx("""
                    location / { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:{port}; }
                    location /limited/ { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:{limited}; }
                    location /app/params-only/ {
                        uwsgi_param PATH_INFO $document_uri;
                        uwsgi_param REQUEST_URI $request_uri;
                        uwsgi_pass 127.0.0.1:{port};
                    }
                    location /ping/ {
                        include /etc/nginx/uwsgi_params;
                        uwsgi_modifier1 100;
                        uwsgi_pass 127.0.0.1:{port};
                    }
                    """);
        }
    },
    /**
     * nginx uwsgi_pass to a unix socket of mode 0660, bodies streamed ({@code uwsgi_request_buffering off}; chunked
     * ones nginx still reads whole, as uwsgi cannot frame them); /app/ uses the idiom of Flask's deployment docs
     * ({@code uwsgi_param SCRIPT_NAME /app; uwsgi_modifier1 30}), whose PATH_INFO still starts with /app.
     */
    NGINX_UWSGI_UNIX("uwsgi", """
            - {protocol: uwsgi, bind: "unix:{socket}", mode: "0660"}
            """) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.nginx("""
                    uwsgi_request_buffering off;
                    location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:{socket}; }
                    location /app/ {
                        include /etc/nginx/uwsgi_params;
                        uwsgi_param SCRIPT_NAME /app;
                        uwsgi_modifier1 30;
                        uwsgi_pass unix:{socket};
                    }
                    """);
        }
    },
    /** nginx scgi_pass with Debian's scgi_params (DOCUMENT_URI, no PATH_INFO); /limited/ and /no-scgi/ faults. */
    NGINX_SCGI("scgi", """
            - {name: scgi-tcp, protocol: scgi, bind: "127.0.0.1:{port}"}
            - {name: scgi-limited, protocol: scgi, bind: "127.0.0.1:{limited}", buffer-size: 1KiB}
            """) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.nginx("""
                    location / { include /etc/nginx/scgi_params; scgi_pass 127.0.0.1:{port}; }
                    location /limited/ { include /etc/nginx/scgi_params; scgi_pass 127.0.0.1:{limited}; }
                    location /no-scgi/ {
                        scgi_param REQUEST_METHOD $request_method;
                        scgi_param REQUEST_URI $request_uri;
                        scgi_pass 127.0.0.1:{port};
                    }
                    """);
        }
    },
    /** nginx fastcgi_pass with fastcgi_keep_conn off (its default): one connection per request. */
    NGINX_FASTCGI("fastcgi", Listeners.FASTCGI, Quirk.TAKES_A_CLOSE_FOR_THE_END) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.nginx("""
                    location / {
                        include /etc/nginx/fastcgi_params;
                        fastcgi_keep_conn off;
                        fastcgi_pass 127.0.0.1:{port};
                    }
                    location /limited/ { include /etc/nginx/fastcgi_params; fastcgi_pass 127.0.0.1:{limited}; }
                    """);
        }
    },
    /** nginx fastcgi_pass with fastcgi_keep_conn on and upstream keepalive pools: connections are reused. */
    NGINX_FASTCGI_KEEP_CONN("fastcgi", Listeners.FASTCGI) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.nginx("""
                    upstream gatehouse { server 127.0.0.1:{port}; keepalive 4; }
                    upstream limited { server 127.0.0.1:{limited}; keepalive 2; }
                    """, """
                    fastcgi_keep_conn on;
                    location / { include /etc/nginx/fastcgi_params; fastcgi_pass gatehouse; }
                    location /limited/ { include /etc/nginx/fastcgi_params; fastcgi_pass limited; }
                    """);
        }
    },
    /** nginx proxy_pass over HTTP/1.1 with kept connections. */
    NGINX_HTTP("http", Listeners.HTTP, Quirk.NAMES_GATEHOUSE_AS_SERVER) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.nginx("""
                    location / {
                        proxy_pass http://127.0.0.1:{port};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                    """);
        }
    },
    /** Apache httpd's mod_proxy_uwsgi ({@code ProxyPass / uwsgi://...}). */
    APACHE_UWSGI("uwsgi", """
            - {protocol: uwsgi, bind: "127.0.0.1:{port}"}
            """, Quirk.REFUSES_CHUNKED_BODIES) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.apache(List.of("proxy", "proxy_uwsgi"), "ProxyPass / uwsgi://127.0.0.1:{port}/\n");
        }
    },
    /** Apache httpd's mod_proxy_scgi, which sends the whole path in SCRIPT_NAME and no PATH_INFO. */
    APACHE_SCGI("scgi", """
            - {protocol: scgi, bind: "127.0.0.1:{port}"}
            """, Quirk.REFUSES_CHUNKED_BODIES) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.apache(List.of("proxy", "proxy_scgi"), "ProxyPass / scgi://127.0.0.1:{port}/\n");
        }
    },
    /** Apache httpd's mod_proxy_fcgi with kept connections ({@code enablereuse=on}); /limited/ without. */
    APACHE_FASTCGI("fastcgi", Listeners.FASTCGI, Quirk.STREAMS_CHUNKED_BODIES) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.apache(List.of("proxy", "proxy_fcgi"), """
                    ProxyPass "/limited/" "fcgi://127.0.0.1:{limited}/"
                    ProxyPass "/" "fcgi://127.0.0.1:{port}/" enablereuse=on
                    LimitRequestBody 0
                    """);
        }
    },
    /** Apache httpd's mod_proxy_http. */
    APACHE_HTTP("http", Listeners.HTTP, Quirk.NAMES_GATEHOUSE_AS_SERVER, Quirk.STREAMS_CHUNKED_BODIES) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.apache(List.of("proxy", "proxy_http"), "ProxyPass / http://127.0.0.1:{port}/\n");
        }
    },
    /** Apache httpd's mod_proxy_ajp with {@code secret=}, at the default packet size of 8192. */
    APACHE_PROXY_AJP("ajp", ApacheAjp.listeners(8192, ""), Quirk.STREAMS_CHUNKED_BODIES) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return ApacheAjp.start(site, List.of("proxy", "proxy_ajp", "env"), "", """
                    SetEnv AJP_TENANT acme
                    SetEnv AJP_OTHER x
                    ProxyPass /wrong ajp://127.0.0.1:{port}/wrong secret=not-the-secret
                    ProxyPass /small ajp://127.0.0.1:{limited}/small secret={secret}
                    ProxyPass / ajp://127.0.0.1:{port}/ secret={secret}
                    """);
        }
    },
    /**
     * Apache httpd's mod_jk: a pooled worker with the secret, CPING before each request and on idle connections
     * (ping_mode A; the watchdog maintains the pool every second), packets of 65536 bytes on both sides.
     */
    APACHE_JK("ajp", ApacheAjp.listeners(65536, "header-timeout: 2s"), Quirk.STREAMS_CHUNKED_BODIES) {
        @Override
        public FrontServer startFront(FrontSite site) {
            GatehouseProcess.write(site.frontDir(), "workers.properties", site.fill(ApacheAjp.JK_WORKERS));
            return ApacheAjp.start(site, List.of("jk"), """
                    JkWorkersFile {dir}/workers.properties
                    JkShmFile {dir}/run/jk.shm
                    JkLogFile {dir}/mod_jk.log
                    JkLogLevel info
                    JkWatchdogInterval 1
                    """, """
                    JkOptions +ForwardKeySize
                    JkEnvVar TENANT acme
                    JkEnvVar OTHER x
                    JkMount /wrong/* wrong
                    JkMount /small/* small
                    JkMount /* gh
                    """);
        }
    },
    /** lighttpd's mod_scgi speaking uwsgi ({@code scgi.protocol = "uwsgi"}). */
    LIGHTTPD_UWSGI("uwsgi", """
            - {protocol: uwsgi, bind: "127.0.0.1:{port}"}
            """) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.lighttpd(List.of("mod_scgi"), """
                    scgi.protocol = "uwsgi"
                    scgi.server = ( "/" => (( "host" => "127.0.0.1", "port" => {port},
                                              "check-local" => "disable", "fix-root-scriptname" => "enable" )) )
                    """);
        }
    },
    /** lighttpd's mod_scgi speaking SCGI ({@code scgi.protocol = "scgi"}, its default). */
    LIGHTTPD_SCGI("scgi", """
            - {protocol: scgi, bind: "127.0.0.1:{port}"}
            """) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.lighttpd(List.of("mod_scgi"), """
                    scgi.protocol = "scgi"
                    scgi.server = ( "/" => (( "host" => "127.0.0.1", "port" => {port},
                                              "check-local" => "disable", "fix-root-scriptname" => "enable" )) )
                    """);
        }
    },
    /**
     * lighttpd's mod_fastcgi with a remote FastCGI server (check-local disabled: nothing is looked up on disk). It
     * buffers responses; buffered, it would give /fail's cut response a Content-Length and pass it on whole, so
     * /fail streams.
     */
    LIGHTTPD_FASTCGI("fastcgi", Listeners.FASTCGI) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.lighttpd(List.of("mod_fastcgi"), """
                    fastcgi.server = (
                        "/limited/" => (( "host" => "127.0.0.1", "port" => {limited}, "check-local" => "disable" )),
                        "/" => (( "host" => "127.0.0.1", "port" => {port}, "check-local" => "disable" )) )
                    $HTTP["url"] =~ "^/fail" { server.stream-response-body = 2 }
                    """);
        }
    },
    /**
     * haproxy in TCP mode sending the PROXY protocol (v2) to an HTTP listener that takes it: the listener learns the
     * client from the header, not from the connection; on {@code {tls}} haproxy ends TLS itself.
     */
    HAPROXY_HTTP("http", """
            - {protocol: http, bind: "127.0.0.1:{port}", proxy-protocol: true}
            """, Quirk.PASSES_BYTES, Quirk.NAMES_GATEHOUSE_AS_SERVER) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.haproxy("""
                    frontend plain
                        bind 127.0.0.1:{front}
                        default_backend gatehouse
                    frontend tls
                        bind 127.0.0.1:{tls} ssl crt {pem}
                        default_backend gatehouse
                    backend gatehouse
                        server g 127.0.0.1:{port} send-proxy-v2
                    """);
        }
    },
    /** lighttpd's mod_proxy. */
    LIGHTTPD_HTTP("http", Listeners.HTTP, Quirk.NAMES_GATEHOUSE_AS_SERVER) {
        @Override
        public FrontServer startFront(FrontSite site) {
            return site.lighttpd(List.of("mod_proxy"),
                    "proxy.server = ( \"\" => (( \"host\" => \"127.0.0.1\", \"port\" => {port} )))\n");
        }
    };

    /** The secret the AJP rows share between Apache and Gatehouse. */
    public static final String AJP_SECRET = "t0p-s3cret";

    private final String protocol;
    private final String listeners;
    private final Set<Quirk> quirks;

    FrontServerCase(String protocol, String listeners, Quirk... quirks) {
        this.protocol = protocol;
        this.listeners = listeners;
        this.quirks = quirks.length == 0 ? Set.of() : EnumSet.copyOf(List.of(quirks));
    }

    /**
     * Starts the front server in {@code site}'s directory, passing requests to the listeners there; it serves the
     * same routes over TLS on the site's TLS port.
     */
    public abstract FrontServer startFront(FrontSite site);

    /** The Gatehouse protocol the front server speaks, as {@code gatehouse.protocol} names it. */
    public String protocol() {
        return protocol;
    }

    /** True if the front server has {@code quirk}. */
    public boolean has(Quirk quirk) {
        return quirks.contains(quirk);
    }

    /** The Gatehouse listeners for {@code site}: list items under {@code listeners:}. */
    public String listeners(FrontSite site) {
        return site.fill(listeners);
    }

    /** Listener fragments that more than one row uses. */
    private static final class Listeners {
        /** The main FastCGI listener and a limited one (1 MiB of body, 4 KiB of params). */
        static final String FASTCGI = """
                - {name: fcgi, protocol: fastcgi, bind: "127.0.0.1:{port}"}
                - {name: fcgi-limited, protocol: fastcgi, bind: "127.0.0.1:{limited}", max-body-size: 1MiB,
                   max-params-size: 4KiB}
                """;
        static final String HTTP = """
                - {protocol: http, bind: "127.0.0.1:{port}"}
                """;
    }

    /** What a front server does its own way, where the common cases expect it. */
    public enum Quirk {
        /** It answers a chunked request body 411 Length Required itself (mod_proxy_uwsgi, mod_proxy_scgi). */
        REFUSES_CHUNKED_BODIES,
        /** A TCP proxy: it passes the client's bytes on as they are, so the request reaches Gatehouse as sent. */
        PASSES_BYTES,
        /** It passes a chunked request body on as it comes, so the app sees no CONTENT_LENGTH. */
        STREAMS_CHUNKED_BODIES,
        /** It proxies HTTP, so SERVER_PORT is Gatehouse's listener's, not the front server's. */
        NAMES_GATEHOUSE_AS_SERVER,
        /** nginx without fastcgi_keep_conn takes a closed connection for the response's end: a cut body looks whole. */
        TAKES_A_CLOSE_FOR_THE_END
    }
}
