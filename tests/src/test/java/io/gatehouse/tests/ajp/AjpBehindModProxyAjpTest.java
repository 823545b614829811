package io.gatehouse.tests.ajp;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The AJP listener behind Apache's mod_proxy_ajp with {@code secret=}, at the default packet size of 8192. */
@FrontServerRows(FrontServerCase.APACHE_PROXY_AJP)
class AjpBehindModProxyAjpTest extends AjpThroughApache {
}
