package io.gatehouse.tests.fastcgi;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The front-server and FastCGI cases through Apache httpd's mod_proxy_fcgi with kept connections. */
@FrontServerRows(FrontServerCase.APACHE_FASTCGI)
class FcgiBehindApacheTest extends FcgiFrontServerCases {
}
