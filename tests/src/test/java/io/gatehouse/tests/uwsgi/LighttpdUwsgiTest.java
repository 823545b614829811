package io.gatehouse.tests.uwsgi;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The common front-server cases through lighttpd's mod_scgi speaking uwsgi. */
@FrontServerRows(FrontServerCase.LIGHTTPD_UWSGI)
class LighttpdUwsgiTest extends FrontServerCases {
}
