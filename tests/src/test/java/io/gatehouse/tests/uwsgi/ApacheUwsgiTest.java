package io.gatehouse.tests.uwsgi;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The common front-server cases through Apache httpd's mod_proxy_uwsgi, which refuses chunked bodies (411). */
@FrontServerRows(FrontServerCase.APACHE_UWSGI)
class ApacheUwsgiTest extends FrontServerCases {
}
