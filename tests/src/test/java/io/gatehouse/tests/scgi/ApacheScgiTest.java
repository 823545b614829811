package io.gatehouse.tests.scgi;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The common front-server cases through Apache httpd's mod_proxy_scgi, which refuses chunked bodies (411). */
@FrontServerRows(FrontServerCase.APACHE_SCGI)
class ApacheScgiTest extends FrontServerCases {
}
