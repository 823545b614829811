package io.gatehouse.tests.ajp;

import java.nio.file.Path;
import java.util.List;

/** The AJP listener behind Apache's mod_proxy_ajp with {@code secret=}, at the default packet size of 8192. */
class AjpBehindModProxyAjpTest extends AjpThroughApache {

    @Override
    List<String> modules() {
        return List.of("proxy", "proxy_ajp", "env");
    }

    @Override
    String globalConfig(Path dir) {
        return "";
    }

    @Override
    String routes() {
        return """
                SetEnv AJP_TENANT acme
                SetEnv AJP_OTHER x
                ProxyPass /wrong ajp://127.0.0.1:%1$d/wrong secret=not-the-secret
                ProxyPass /small ajp://127.0.0.1:%3$d/small secret=%2$s
                ProxyPass / ajp://127.0.0.1:%1$d/ secret=%2$s
                """.formatted(ajpPort, SECRET, smallPort);
    }

    @Override
    int packetSize() {
        return 8192;
    }
}
