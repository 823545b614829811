package io.gatehouse.tests.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * nginx → uwsgi_pass unix:/path with streamed request bodies, /app/ through the uwsgi_modifier1 30 idiom of Flask's
 * deployment docs (the common cases check its SCRIPT_NAME and PATH_INFO), and the socket's configured mode.
 */
@FrontServerRows(FrontServerCase.NGINX_UWSGI_UNIX)
class NginxUwsgiUnixTest extends FrontServerCases {
    @Test
    void socketHasTheConfiguredMode() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(site.socket())));
    }
}
