package io.gatehouse.tests.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Debian's Apache httpd (event MPM), in the foreground, on 127.0.0.1, with the modules and directives given. */
public final class Apache extends FrontServer {
    private static final String MODULES = "/usr/lib/apache2/modules/";

    private Apache(Path dir, int port, Path conf) {
        super("apache", List.of("/usr/sbin/apache2", "-d", dir.toString(), "-f", conf.toString(), "-DFOREGROUND"),
                dir, port);
    }

    /**
     * Starts httpd in {@code dir} loading {@code modules} (names as in their file, e.g. "proxy", "proxy_uwsgi") and
     * adding {@code body} to the main server. Extra listeners can be declared in the body.
     */
    public static Apache start(Path dir, List<String> modules, String body) {
        return start(dir, FreePort.pick(), modules, body);
    }

    /** As {@link #start(Path, List, String)} on a port the caller chose (to write it into the body first). */
    public static Apache start(Path dir, int port, List<String> modules, String body) {
        mkdirs(dir, "htdocs", "run");
        openUp(dir);
        List<String> all = new ArrayList<>(List.of("mpm_event", "authz_core"));
        modules.stream().filter(m -> !all.contains(m)).forEach(all::add);
        StringBuilder loads = new StringBuilder();
        for (String m : all) {
            loads.append("LoadModule ").append(m).append("_module ").append(MODULES).append("mod_").append(m)
                    .append(".so\n");
        }
        String conf = loads + """
                ServerRoot "%1$s"
                ServerName localhost
                Listen 127.0.0.1:%2$d
                PidFile "%1$s/run/httpd.pid"
                DefaultRuntimeDir "%1$s/run"
                Mutex file:%1$s/run default
                ErrorLog "%1$s/apache-error.log"
                LogLevel warn
                DocumentRoot "%1$s/htdocs"
                %3$s
                StartServers 1
                ServerLimit 2
                ThreadsPerChild 25
                MaxRequestWorkers 50
                %4$s
                """.formatted(dir, port, root() ? "User nobody\nGroup nogroup" : "", body);
        return new Apache(dir, port, GatehouseProcess.write(dir, "httpd.conf", conf));
    }
}
