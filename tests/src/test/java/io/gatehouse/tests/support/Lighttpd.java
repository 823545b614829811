package io.gatehouse.tests.support;

import java.nio.file.Path;
import java.util.List;

/** Debian's lighttpd, in the foreground, on 127.0.0.1, with the modules and directives the test provides. */
public final class Lighttpd extends FrontServer {
    private Lighttpd(Path dir, int port, Path conf) {
        super("lighttpd", List.of("/usr/sbin/lighttpd", "-D", "-f", conf.toString()), dir, port);
    }

    /** Starts lighttpd in {@code dir} with {@code modules} (e.g. "mod_scgi") and {@code body} directives. */
    public static Lighttpd start(Path dir, List<String> modules, String body) {
        int port = FreePort.pick();
        mkdirs(dir, "htdocs", "uploads");
        openUp(dir);
        String moduleList = String.join(", ", modules.stream().map(m -> '"' + m + '"').toList());
        String conf = """
                server.document-root = "%1$s/htdocs"
                server.bind = "127.0.0.1"
                server.port = %2$d
                server.errorlog = "%1$s/lighttpd-error.log"
                server.upload-dirs = ( "%1$s/uploads" )
                server.modules = ( %3$s )
                %4$s
                """.formatted(dir, port, moduleList, body);
        return new Lighttpd(dir, port, GatehouseProcess.write(dir, "lighttpd.conf", conf));
    }
}
