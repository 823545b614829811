package io.gatehouse.tests.fastcgi;

import io.gatehouse.tests.support.Apache;
import io.gatehouse.tests.support.FrontServer;
import java.nio.file.Path;
import java.util.List;

/** Apache httpd's mod_proxy_fcgi: {@code ProxyPass "/" "fcgi://127.0.0.1:PORT/" enablereuse=on} (kept connections). */
class FcgiBehindApacheTest extends FcgiFrontServerCases {

    @Override
    FrontServer startFront(Path dir, int port) {
        return Apache.start(dir, List.of("proxy", "proxy_fcgi"), "ProxyPass \"/\" \"fcgi://127.0.0.1:" + port
                + "/\" enablereuse=on\nLimitRequestBody 0\n");
    }
}
