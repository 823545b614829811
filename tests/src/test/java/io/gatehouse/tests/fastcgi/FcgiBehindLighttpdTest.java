package io.gatehouse.tests.fastcgi;

import io.gatehouse.tests.support.FrontServer;
import io.gatehouse.tests.support.Lighttpd;
import java.nio.file.Path;
import java.util.List;

/** lighttpd's mod_fastcgi with a remote FastCGI server (check-local disabled: nothing is looked up on disk). */
class FcgiBehindLighttpdTest extends FcgiFrontServerCases {

    @Override
    FrontServer startFront(Path dir, int port) {
        return Lighttpd.start(dir, List.of("mod_fastcgi"), """
                fastcgi.server = ( "/" => (( "host" => "127.0.0.1", "port" => %d, "check-local" => "disable" )) )
                """.formatted(port));
    }
}
