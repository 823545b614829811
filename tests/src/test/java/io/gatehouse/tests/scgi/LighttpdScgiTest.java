package io.gatehouse.tests.scgi;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The common front-server cases through lighttpd's mod_scgi. */
@FrontServerRows(FrontServerCase.LIGHTTPD_SCGI)
class LighttpdScgiTest extends FrontServerCases {
}
