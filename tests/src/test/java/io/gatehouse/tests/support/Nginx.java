package io.gatehouse.tests.support;

import java.nio.file.Path;
import java.util.List;

/** Debian's nginx, in the foreground, with one server block on 127.0.0.1 whose body the test provides. */
public final class Nginx extends FrontServer {
    private Nginx(Path dir, int port, Path conf) {
        super("nginx", List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;"),
                dir, port);
    }

    /**
     * Starts nginx in {@code dir} with {@code serverBody} inside {@code server { listen 127.0.0.1:PORT; ... }}.
     * Bodies of any size pass (client_max_body_size 0). The body may use {@code http} level directives only via
     * {@link #start(Path, String, String)}.
     */
    public static Nginx start(Path dir, String serverBody) {
        return start(dir, "", serverBody);
    }

    /** As {@link #start(Path, String)}, with extra directives at the http level (upstreams, maps). */
    public static Nginx start(Path dir, String httpBody, String serverBody) {
        int port = FreePort.pick();
        mkdirs(dir, "logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi");
        openUp(dir);
        String conf = (root() ? "user root;\n" : "") + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log info;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    client_max_body_size 0;
                    default_type application/octet-stream;
                %2$s
                    server {
                        listen 127.0.0.1:%3$d;
                        server_name localhost;
                %4$s
                    }
                }
                """.formatted(dir, httpBody, port, serverBody);
        return new Nginx(dir, port, GatehouseProcess.write(dir, "nginx.conf", conf));
    }
}
