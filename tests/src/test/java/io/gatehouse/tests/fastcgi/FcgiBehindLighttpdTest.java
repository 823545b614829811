package io.gatehouse.tests.fastcgi;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The front-server and FastCGI cases through lighttpd's mod_fastcgi. */
@FrontServerRows(FrontServerCase.LIGHTTPD_FASTCGI)
class FcgiBehindLighttpdTest extends FcgiFrontServerCases {
}
